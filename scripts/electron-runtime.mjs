// The Electron runtime (the binary electron's postinstall would download), for `npm start` and
// `npm run dist`. Install scripts are off (.npmrc), so the first use runs electron's own installer;
// where the download is impossible this ends quickly with a one-line reason instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { processFailure } from './process-failure.mjs';

const require = createRequire(import.meta.url);

/** Room for the ~110 MB zip on a slow link; a DNS or connection failure ends within a second. */
const FETCH_TIMEOUT_MS = 10 * 60_000;

/** @typedef {{ binary: string } | { reason: string }} ElectronRuntime */

/** The installed Electron executable, or null. */
export function installedElectron() {
  try {
    // From plain Node the electron package exports its binary's path; it throws before the download.
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/**
 * The Electron executable, downloaded on first use, or why there is none.
 * @returns {ElectronRuntime}
 */
export function ensureElectronRuntime() {
  const installed = installedElectron();
  if (installed) return { binary: installed };
  // install.js honours this too, exiting 0 without a binary; say so rather than "download failed".
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it is never downloaded' };
  }
  let installer;
  try {
    installer = require.resolve('electron/install.js');
  } catch {
    return { reason: 'the electron package is not installed; run npm ci' };
  }
  console.log('Fetching the Electron runtime (first run only)...');
  const result = spawnSync(process.execPath, [installer], {
    cwd: dirname(installer),
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: FETCH_TIMEOUT_MS,
  });
  // install.js prints a stack trace on failure; its first line names the error.
  const failure = processFailure(result, FETCH_TIMEOUT_MS);
  if (failure) return { reason: `its download failed: ${failure}` };
  const binary = installedElectron();
  return binary ? { binary } : { reason: "electron's installer finished without leaving a binary" };
}
