// Which Chromium the end-to-end tests and the UI bench drive. The one lookup shared by
// scripts/ensure-chromium.mjs (which installs one where none is found) and e2e/fixtures/chromium.ts.
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from '@playwright/test';

/** Debian's package puts it here whatever PATH says. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Chromium and Chrome commands Playwright can drive, looked up on PATH in this order. */
const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * @typedef {{ path: string, source: string }} ChromiumFound
 * @typedef {{ missing: string, chosenByUser: boolean }} ChromiumMissing `chosenByUser`: CHROMIUM_PATH
 *   names a missing file; installing some other browser would silently ignore that choice.
 * @typedef {{ env: NodeJS.ProcessEnv, isFile: (path: string) => boolean, playwrightChromium: () => string }} Machine
 */

/** @param {string} path */
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** @type {Machine} */
const thisMachine = {
  env: process.env,
  isFile,
  // Where Playwright keeps (or would download) its own build; it honours PLAYWRIGHT_BROWSERS_PATH.
  playwrightChromium: () => chromium.executablePath(),
};

/**
 * Where `name` is in the first directory of PATH that holds it, or null.
 * @param {string} name
 * @param {Pick<Machine, 'env' | 'isFile'>} [machine]
 */
export function onPath(name, { env, isFile } = thisMachine) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isFile(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * CHROMIUM_PATH if set, else Playwright's downloaded Chromium, else a system Chromium or Chrome.
 * @param {Machine} [machine]
 * @returns {ChromiumFound | ChromiumMissing}
 */
export function locateChromium(machine = thisMachine) {
  const chosen = machine.env.CHROMIUM_PATH;
  if (chosen) {
    return machine.isFile(chosen)
      ? { path: chosen, source: 'CHROMIUM_PATH' }
      : { missing: `CHROMIUM_PATH=${chosen} is not a file`, chosenByUser: true };
  }
  const playwrights = machine.playwrightChromium();
  if (machine.isFile(playwrights)) return { path: playwrights, source: "Playwright's Chromium" };
  if (machine.isFile(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: 'system Chromium' };
  for (const name of SYSTEM_BROWSERS) {
    const path = onPath(name, machine);
    if (path) return { path, source: `system ${name}` };
  }
  return {
    missing: `no Chromium found (CHROMIUM_PATH unset, nothing at ${playwrights}, none of ${SYSTEM_BROWSERS.join(', ')} on PATH)`,
    chosenByUser: false,
  };
}
