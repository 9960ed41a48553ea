import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../../src-main/core/testing/free-port';
import { LoopbackClient, sleep } from '../../src-main/core/testing/loopback-client';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { FIXTURE_EVENTS, fixtureText } from '../../src-shared/testing/recording-fixture';
import { exited, runCli, waitFor } from '../fixtures/cli-process';
import { collectPageErrors } from '../fixtures/page-errors';
import { scrubTo } from '../fixtures/replay-scrubber';
import { snap } from '../fixtures/screenshots';

test('a recorded session replays in the dashboard: the end shows its final counters, the middle what was live then', async ({
  page,
}, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'echoscope-replay-'));
  const file = join(dir, 'session.ndjson');
  const children: ChildProcess[] = [];
  const clients: LoopbackClient[] = [];
  const errors = collectPageErrors(page);
  try {
    // Record: two clients echo and stay, then one sends the crash word; SIGINT cancels the two.
    const port = await freePort();
    const serve = runCli(['serve', '--record', file, '--port', String(port)]);
    children.push(serve.child);
    await waitFor(serve.output, /Echo server listening on/, 'listening line');
    for (const text of ['hello\n', 'world\n']) {
      const c = await LoopbackClient.open(port);
      clients.push(c);
      c.write(text);
      await c.untilReceived(text.length);
    }
    await sleep(2_000);
    const crasher = await LoopbackClient.open(port);
    clients.push(crasher);
    crasher.write('boom\n');
    await sleep(500);
    serve.child.kill('SIGINT');
    expect(await exited(serve.child)).toBe(0);
    expect(serve.output()).toMatch(/Stopped: 2 tasks cancelled/);

    // Replay it.
    const web = runCli(['web', '--replay', file, '--port', '0']);
    children.push(web.child);
    const url = (await waitFor(web.output, /Echoscope dashboard: (\S+)/, 'dashboard URL'))[1]!;
    await page.goto(url);
    await expect(page.getByTestId('replay-title')).toContainText(`Replay of ${file}`);
    await expect(page.getByTestId('replay-title')).toContainText('recorded at');
    await expect(page.getByTestId('start-button')).toBeDisabled();
    await expect(page.getByTestId('start-button')).toHaveAttribute('title', /replay/);

    // From the start to the end: the live session's final counters.
    await page.getByTestId('replay-scrubber').focus();
    await page.keyboard.press('Home');
    await expect(page.getByTestId('counter-accepted')).toHaveText('0');
    await page.keyboard.press('End');
    await expect(page.getByTestId('counter-accepted')).toHaveText('3');
    await expect(page.getByTestId('counter-failed')).toHaveText('1');
    await expect(page.getByTestId('counter-cancelled')).toHaveText('2');
    await expect(page.getByTestId('counter-completed')).toHaveText('0');
    await expect(page.getByTestId('counter-live')).toHaveText('0');
    await expect(page.getByTestId('counter-bytesIn')).toContainText('17');
    await expect(page.locator('[data-testid="task-row"]')).toHaveCount(3);
    await snap(page, testInfo, 'replay-end');

    // The middle: the two echo clients were live, nothing had crashed yet.
    const max = Number(await page.getByTestId('replay-scrubber').getAttribute('max'));
    expect(max).toBeGreaterThan(2_000);
    await scrubTo(page, Math.round(max / 2));
    await expect(page.getByTestId('counter-live')).toHaveText('2');
    await expect(page.getByTestId('counter-accepted')).toHaveText('2');
    await expect(page.getByTestId('counter-failed')).toHaveText('0');
    await expect(page.locator('[data-testid="task-row"]')).toHaveCount(2);
    await expect(page.getByTestId('client-open')).toBeDisabled();
    await snap(page, testInfo, 'replay-middle');

    // Play on from there at 50×: it runs to the end and stops.
    await page.getByTestId('replay-speed').selectOption('50');
    await page.getByTestId('replay-play').click();
    await expect(page.getByTestId('counter-accepted')).toHaveText('3');
    await expect(page.getByTestId('counter-cancelled')).toHaveText('2');
    await expect(page.getByTestId('replay-play')).toHaveText('Play');
    expect(errors).toEqual([]);
  } finally {
    for (const c of clients) c.destroy();
    for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a malformed recording's bad lines are named in the replay bar; the rest replays", async ({
  page,
}, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'echoscope-replay-'));
  const file = join(dir, 'damaged.ndjson');
  const lines = fixtureText().split('\n');
  lines.splice(2, 0, '{"kind": "accepted", "taskId": ');
  writeFileSync(file, lines.join('\n'));
  const web = runCli(['web', '--replay', file, '--port', '0']);
  try {
    const url = (await waitFor(web.output, /Echoscope dashboard: (\S+)/, 'dashboard URL'))[1]!;
    expect(web.output()).toMatch(/Line 3 is not valid JSON \(left out\)/);
    await page.goto(url);
    await expect(page.getByTestId('replay-problems')).toContainText('1 line of the file left out');
    await page.getByTestId('replay-problems').locator('summary').click();
    await expect(page.getByTestId('replay-problems')).toContainText('Line 3 is not valid JSON (left out)');
    const whole = foldRecording(FIXTURE_EVENTS).counters;
    await expect(page.getByTestId('counter-accepted')).toHaveText(String(whole.accepted));
    await expect(page.getByTestId('counter-events')).toHaveText(String(whole.events));
    await snap(page, testInfo, 'replay-problems');

    // A host that replays has nothing to record; a file opened in the page goes back to the served one.
    await expect(page.getByTestId('record-toggle')).toBeDisabled();
    await expect(page.getByTestId('record-toggle')).toHaveAttribute('title', /no live echo server/);
    const second = fixtureText().replace('"recorder":"test"', '"recorder":"another"');
    await page.getByTestId('open-recording').setInputFiles({
      name: 'other.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(second),
    });
    await expect(page.getByTestId('replay-title')).toContainText('Replay of other.ndjson');
    await expect(page.getByTestId('replay-title')).toContainText('by another');
    await expect(page.getByTestId('replay-live-button')).toHaveText('Back to the served recording');
    await page.getByTestId('replay-live-button').click();
    await expect(page.getByTestId('replay-title')).toContainText(`Replay of ${file}`);
    await expect(page.getByTestId('replay-problems')).toContainText('1 line of the file left out');
    await expect(page.getByTestId('replay-live-button')).toHaveCount(0);
  } finally {
    web.child.kill('SIGINT');
    await exited(web.child);
    rmSync(dir, { recursive: true, force: true });
  }
});
