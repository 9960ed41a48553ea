import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { snap } from '../fixtures/screenshots';
import { type DesktopApp, launchDesktopStandIn, newUserDataDir } from './desktop-host';

const LISTING_1 = resolve(__dirname, '../../probe/tests/listings/listing1_plain.py');
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const missing =
  python.error || python.status !== 0 || !/Python 3\.(1\d|[2-9]\d)/.test(`${python.stdout}${python.stderr}`)
    ? 'python3 (CPython 3.10+) is not available here'
    : null;
if (missing) console.warn(`Skipping the desktop attach e2e test: ${missing}`);

let app: DesktopApp | null = null;
let child: ChildProcess | null = null;

test.afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  await app?.dispose();
  app = null;
});

test('the desktop app attaches a Python process from its Attach action, with the command it shows', async ({}, testInfo) => {
  test.skip(missing !== null, missing ?? '');
  const taken = await new Promise<boolean>((done) => {
    const probe = createServer();
    probe.once('error', () => done(true));
    probe.listen(8765, '127.0.0.1', () => probe.close(() => done(false)));
  });
  test.skip(taken, 'port 8765 (the default attach port) is in use on this machine');
  app = await launchDesktopStandIn(newUserDataDir());
  const { page } = app;
  await page.getByTestId('attach-button').click();
  const command = await page.getByTestId('attach-command').innerText();
  const parts = /^PYTHONPATH=(\S+) python3 -m echoscope_probe --to (\S+) --token (\S+) your_server\.py$/.exec(
    command,
  );
  expect(parts, command).not.toBeNull();
  const [, probeDir, to, token] = parts as unknown as string[];
  child = spawn('python3', ['-m', 'echoscope_probe', '--to', to!, '--token', token!, LISTING_1, '0'], {
    env: { ...process.env, PYTHONPATH: probeDir },
    stdio: 'ignore',
  });
  await expect(page.getByTestId('attach-status')).toContainText(`pid ${child.pid} · listing1_plain.py`);
  await expect(page.getByTestId('start-button')).toBeDisabled();
  await snap(page, testInfo, 'desktop-h6-attached');
  child.kill('SIGINT');
  await expect(page.getByTestId('attach-status')).toHaveAttribute('data-connected', 'false');
});
