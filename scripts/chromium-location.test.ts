import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateChromium, onPath } from './chromium-location.mjs';

const PLAYWRIGHTS = '/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

/** A machine whose only files are `files`. */
function machine(files: string[], env: NodeJS.ProcessEnv = {}) {
  return {
    env: { PATH: ['/usr/local/bin', '/usr/bin', '/opt/google/chrome'].join(delimiter), ...env },
    isFile: (path: string) => files.includes(path),
    playwrightChromium: () => PLAYWRIGHTS,
  };
}

describe('locateChromium', () => {
  it('uses CHROMIUM_PATH over every other Chromium', () => {
    const found = locateChromium(
      machine(['/x/chrome', PLAYWRIGHTS, '/usr/bin/chromium'], { CHROMIUM_PATH: '/x/chrome' }),
    );
    expect(found).toEqual({ path: '/x/chrome', source: 'CHROMIUM_PATH' });
  });

  it("reports a CHROMIUM_PATH that names no file as the user's choice, without falling back", () => {
    const found = locateChromium(machine([PLAYWRIGHTS, '/usr/bin/chromium'], { CHROMIUM_PATH: '/nope' }));
    expect(found).toEqual({ missing: 'CHROMIUM_PATH=/nope is not a file', chosenByUser: true });
  });

  it("prefers Playwright's own Chromium to the system's", () => {
    expect(locateChromium(machine([PLAYWRIGHTS, '/usr/bin/chromium']))).toEqual({
      path: PLAYWRIGHTS,
      source: "Playwright's Chromium",
    });
  });

  it("takes Debian's /usr/bin/chromium even when /usr/bin is not on PATH", () => {
    const found = locateChromium({ ...machine(['/usr/bin/chromium']), env: { PATH: '/usr/local/bin' } });
    expect(found).toEqual({ path: '/usr/bin/chromium', source: 'system Chromium' });
  });

  it('finds Chromium or Chrome on PATH, in the order chromium, chromium-browser, google-chrome', () => {
    expect(locateChromium(machine(['/usr/bin/google-chrome', '/usr/local/bin/chromium-browser']))).toEqual({
      path: '/usr/local/bin/chromium-browser',
      source: 'system chromium-browser',
    });
    expect(locateChromium(machine(['/opt/google/chrome/google-chrome-stable']))).toEqual({
      path: '/opt/google/chrome/google-chrome-stable',
      source: 'system google-chrome-stable',
    });
  });

  it('says where it looked when there is none, and that installing one is allowed', () => {
    const found = locateChromium(machine([]));
    expect(found).toMatchObject({ chosenByUser: false });
    expect('missing' in found && found.missing).toContain(PLAYWRIGHTS);
  });
});

describe('onPath', () => {
  it('returns the first PATH directory holding the name, skipping empty entries', () => {
    const env = { PATH: ['', '/a', '/b'].join(delimiter) };
    const isFile = (path: string) => path === '/b/apt-get' || path === '/a/apt-get';
    expect(onPath('apt-get', { env, isFile })).toBe('/a/apt-get');
    expect(onPath('apt-get', { env: { PATH: `${delimiter}/b` }, isFile })).toBe('/b/apt-get');
    expect(onPath('apt-get', { env: {}, isFile })).toBeNull();
  });
});
