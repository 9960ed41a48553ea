import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_PATH } from '../fixtures/chromium';
import { STAND_IN_ENV } from './stand-in/stand-in-config';

const ROOT = resolve(__dirname, '../..');

/** The desktop app's main process (the real built one, on the Electron stand-in) and its window. */
export interface DesktopApp {
  /** The app window's page, driven over CDP like Playwright drives a real Electron window. */
  page: Page;
  /** Everything the main process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the main process's exit code. */
  exited: Promise<number | null>;
  /** Detaches the CDP client and kills the process if it is still running. */
  dispose(): Promise<void>;
}

/** A fresh `userData` directory (window-state.json, the Chromium profile). */
export function newUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'echoscope-desktop-'));
}

async function until<T>(
  what: string,
  output: () => string,
  probe: () => T | null | Promise<T | null>,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; the main process printed:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `out/main/index.js` under Node with `require('electron')` answered by the stand-in, then
 * attaches to the stand-in's Chromium and finds the app window.
 */
export async function launchDesktopStandIn(userDataDir: string): Promise<DesktopApp> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, 'stand-in/run-main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        [STAND_IN_ENV.appPath]: ROOT,
        [STAND_IN_ENV.userDataDir]: userDataDir,
        [STAND_IN_ENV.chromiumPath]: CHROMIUM_PATH,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const read = (): string => output;
  let browser: Browser | null = null;
  const dispose = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    const cdp = await until(
      'the stand-in to report its CDP endpoint',
      read,
      () => /stand-in: cdp (\S+)/.exec(output)?.[1] ?? null,
    );
    browser = await chromium.connectOverCDP(cdp);
    const connected = browser;
    const page = await until(
      'the app window',
      read,
      () =>
        connected
          .contexts()
          .flatMap((c) => c.pages())
          .find((p) => p.url().endsWith('/out/renderer/index.html')) ?? null,
    );
    return { page, output: read, exited, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
