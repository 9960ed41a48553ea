import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { LoopbackClient } from '../../src-main/core/testing/loopback-client';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { FIXTURE_EVENTS, fixtureText } from '../../src-shared/testing/recording-fixture';
import { snap } from '../fixtures/screenshots';
import { roundTrip } from '../fixtures/web-host';
import { startServer } from './desktop-flows';
import { type DesktopApp, launchDesktopStandIn, newUserDataDir } from './desktop-host';

const clients: LoopbackClient[] = [];
let app: DesktopApp | null = null;
let files: string | null = null;

test.afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await app?.dispose();
  app = null;
  if (files) rmSync(files, { recursive: true, force: true });
  files = null;
});

/** Clicks File → Open Recording… in the app's menu; its open dialog answers with `path`. */
function openFromMenu(page: Page, path: string): Promise<void> {
  return page.evaluate(
    (p) =>
      (
        globalThis as unknown as {
          __standInControl: { clickMenu(path: string[], answer: string[] | null): Promise<void> };
        }
      ).__standInControl.clickMenu(['File', 'Open Recording…'], [p]),
    path,
  );
}

const counter = (page: Page, id: string) => page.getByTestId(`counter-${id}`);

test('desktop: Record writes to userData/recordings and shows the path; Replay it; File → Open replays a file or names its bad line', async ({}, testInfo) => {
  const userData = newUserDataDir();
  app = await launchDesktopStandIn(userData);
  const { page } = app;
  expect(app.output()).toContain('menu: File, editMenu, viewMenu, windowMenu');

  // Record, in the desktop app: the file goes to the app's own folder; the page shows where.
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'true');
  const port = await startServer(page, 'handled');
  const c = await LoopbackClient.open(port);
  clients.push(c);
  await roundTrip(c, 'recorded on the desktop\n');
  c.write('boom\r\n');
  await expect(counter(page, 'failed')).toHaveText('1');
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'false');
  const shown = (await page.getByTestId('record-path').locator('code').textContent())!;
  expect(shown.startsWith(join(userData, 'recordings', 'echoscope-'))).toBe(true);
  expect(readFileSync(shown, 'utf8').split('\n')[0]).toContain('"recorder":"Echoscope desktop"');
  await snap(page, testInfo, 'h1-desktop-recorded');

  // Replay it: read back over the session port (the page has no file access).
  await page.getByTestId('record-replay').click();
  await expect(page.getByTestId('replay-title')).toContainText('Replay of echoscope-');
  await expect(counter(page, 'accepted')).toHaveText('1');
  await expect(counter(page, 'failed')).toHaveText('1');
  await page.getByTestId('replay-live-button').click();
  await expect(page.getByTestId('replay-bar')).toHaveCount(0);

  // File → Open: a recording made elsewhere, read by the main process and shown in the same views.
  files = mkdtempSync(join(tmpdir(), 'echoscope-desktop-open-'));
  const good = join(files, 'elsewhere.ndjson');
  writeFileSync(good, fixtureText());
  await openFromMenu(page, good);
  await expect.poll(() => app?.output() ?? '').toContain('open dialog "Open a recording" (openFile)');
  await expect(page.getByTestId('replay-title')).toContainText('Replay of elsewhere.ndjson');
  const whole = foldRecording(FIXTURE_EVENTS).counters;
  await expect(counter(page, 'accepted')).toHaveText(String(whole.accepted));
  await expect(counter(page, 'cancelled')).toHaveText(String(whole.cancelled));
  await snap(page, testInfo, 'h1-desktop-file-open');
  await page.getByTestId('replay-live-button').click();
  await expect(counter(page, 'accepted')).toHaveText('1');

  // A file that is not a recording: its line is named, the live session stays.
  const bad = join(files, 'notes.ndjson');
  writeFileSync(bad, 'these are notes\n');
  await openFromMenu(page, bad);
  await expect(page.getByTestId('open-recording-error')).toContainText(
    'Cannot open notes.ndjson: Line 1 is not an Echoscope recording header',
  );
  await expect(page.getByTestId('replay-bar')).toHaveCount(0);
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  const missing = join(files, 'gone.ndjson');
  expect(existsSync(missing)).toBe(false);
  await openFromMenu(page, missing);
  await expect(page.getByTestId('open-recording-error')).toContainText(`${missing} does not exist`);
});
