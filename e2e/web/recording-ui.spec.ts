import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { LoopbackClient } from '../../src-main/core/testing/loopback-client';
import { fixtureText } from '../../src-shared/testing/recording-fixture';
import { snap } from '../fixtures/screenshots';
import { connect, expect, freePort, roundTrip, test, type WebHost } from '../fixtures/web-host';

/** Opens the dashboard and starts the echo server from the UI (after whatever `before` does first). */
async function openAndStart(page: Page, webHost: WebHost, before?: () => Promise<void>): Promise<number> {
  const port = await freePort();
  await page.goto(webHost.url);
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await before?.();
  await page.getByTestId('field-port').fill(String(port));
  await page.getByTestId('field-policy').selectOption('handled');
  await page.getByTestId('start-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  return port;
}

const counter = (page: Page, id: string) => page.getByTestId(`counter-${id}`);

/** The text of a download the page started. */
function downloaded(download: Download): Promise<string> {
  return download.path().then((path) => readFileSync(path, 'utf8'));
}

/** Checks a trace as a trace viewer's parser would: the JSON Object Format with its required fields. */
function expectChromeTrace(text: string): void {
  const trace = JSON.parse(text) as { traceEvents: Array<Record<string, unknown>> };
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  expect(trace.traceEvents.length).toBeGreaterThan(5);
  for (const e of trace.traceEvents) {
    expect(typeof e.name).toBe('string');
    expect(typeof e.ph).toBe('string');
    expect(typeof e.ts).toBe('number');
    expect(typeof e.pid).toBe('number');
    expect(typeof e.tid).toBe('number');
  }
  const phases = new Set(trace.traceEvents.map((e) => e.ph));
  for (const ph of ['M', 'X', 'i', 'C']) expect(phases).toContain(ph);
}

test('Record, crash a built-in client, stop, Replay it, scrub, export its trace, and go back to live', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  // Record first: then the replay's counters are the whole session's.
  const port = await openAndStart(page, webHost, async () => {
    await page.getByTestId('record-toggle').click();
    await expect(page.getByTestId('record-toggle')).toHaveAttribute('aria-pressed', 'true');
  });
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId('record-status')).toContainText(/Recording .* events, .* of 100 MiB/);

  await page.getByTestId('tab-clients').click();
  await page.getByTestId('client-count').fill('3');
  await page.getByTestId('client-open').click();
  await expect(page.getByTestId('task-row')).toHaveCount(3);
  await page.getByTestId('client-row').first().getByTestId('client-send-crash').click();
  await expect(counter(page, 'failed')).toHaveText('1');
  await expect(counter(page, 'live')).toHaveText('2');
  await snap(page, testInfo, 'h1-record-toggle');

  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'false');
  await expect(page.getByTestId('record-status')).toContainText(/Recorded .* events/);
  // The file, as the host wrote it, is a download of the browser host.
  const link = page.getByTestId('record-download');
  const fileName = (await link.textContent())!;
  expect(fileName).toMatch(/^echoscope-.*\.ndjson$/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(fileName);
  const onDisk = readFileSync(`${webHost.recordingsDir}/${fileName}`, 'utf8');
  expect(await downloaded(download)).toBe(onDisk);
  expect(onDisk.split('\n')[0]).toContain('"recorder":"echoscope web"');
  await snap(page, testInfo, 'h1-record-stopped');

  // Replay it: the same views, driven by the file, at its end: the live counters of that moment.
  await page.getByTestId('record-replay').click();
  await expect(page.getByTestId('replay-title')).toContainText(`Replay of ${fileName}`);
  await expect(counter(page, 'accepted')).toHaveText('3');
  await expect(counter(page, 'failed')).toHaveText('1');
  await expect(counter(page, 'live')).toHaveText('2');
  await expect(page.getByTestId('stop-button')).toBeDisabled();

  // The live session goes on underneath, unseen while the replay is shown.
  const outside = await connect(clients, port);
  await roundTrip(outside, 'while replaying\n');
  await page.getByTestId('replay-scrubber').focus();
  await page.keyboard.press('Home');
  await expect(counter(page, 'accepted')).toHaveText('0');
  await expect(page.getByTestId('task-row')).toHaveCount(0);
  await page.keyboard.press('End');
  await expect(counter(page, 'accepted')).toHaveText('3');
  await expect(counter(page, 'failed')).toHaveText('1');
  await snap(page, testInfo, 'h1-replay-opened');

  // Export trace: of the replay being shown.
  const [trace] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-trace').click(),
  ]);
  expect(trace.suggestedFilename()).toBe(fileName.replace(/\.ndjson$/, '.trace.json'));
  expectChromeTrace(await downloaded(trace));

  // Back to live: rebuilt from a snapshot, with the connection made meanwhile.
  await page.getByTestId('replay-live-button').click();
  await expect(page.getByTestId('replay-bar')).toHaveCount(0);
  await expect(counter(page, 'accepted')).toHaveText('4');
  await expect(counter(page, 'live')).toHaveText('3');
  await expect(page.getByTestId('task-row')).toHaveCount(4);
  // And it follows the session again.
  await connect(clients, port);
  await expect(counter(page, 'accepted')).toHaveText('5');
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
});

test('a file that is not a readable recording is named with its line, and the live session is untouched', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await openAndStart(page, webHost);
  const client = await connect(clients, port);
  await roundTrip(client, 'still here\n');
  await expect(counter(page, 'live')).toHaveText('1');
  const input = page.getByTestId('open-recording');
  const error = page.getByTestId('open-recording-error');

  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\n') });
  await expect(error).toContainText('Cannot open notes.txt: Line 1 is not an Echoscope recording header');
  await expect(page.getByTestId('replay-bar')).toHaveCount(0);
  await snap(page, testInfo, 'h1-open-error');

  const newer = fixtureText().replace('"version":1', '"version":99');
  await input.setInputFiles({
    name: 'newer.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(newer),
  });
  await expect(error).toContainText('Cannot open newer.ndjson: Line 1 was written by a newer Echoscope');

  await input.setInputFiles({
    name: 'empty.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(''),
  });
  await expect(error).toContainText('Cannot open empty.ndjson: The file is empty');

  // Nothing else changed: the session is live and still applied.
  await expect(page.getByTestId('replay-bar')).toHaveCount(0);
  await expect(counter(page, 'live')).toHaveText('1');
  await connect(clients, port);
  await expect(counter(page, 'live')).toHaveText('2');
  await roundTrip(client, 'and echoing\n');

  // A recording with one damaged line opens; the line is named and everything else replays.
  const lines = fixtureText().split('\n');
  lines.splice(2, 0, '{"kind": "accepted", "taskId": ');
  await input.setInputFiles({
    name: 'damaged.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(lines.join('\n')),
  });
  await expect(page.getByTestId('replay-title')).toContainText('Replay of damaged.ndjson');
  await expect(error).toHaveCount(0);
  await page.getByTestId('replay-problems').locator('summary').click();
  await expect(page.getByTestId('replay-problems')).toContainText('Line 3 is not valid JSON (left out)');
  await page.getByTestId('replay-live-button').click();
  await expect(counter(page, 'live')).toHaveText('2');
});

test('Export trace of the live session: says how to get a recording, then exports the host recording', async ({
  page,
  webHost,
  clients,
}) => {
  const port = await openAndStart(page, webHost);
  await page.getByTestId('export-trace').click();
  await expect(page.getByTestId('session-error')).toContainText('The live session has no recording yet');
  await expect(page.getByTestId('session-error')).toContainText('Turn Record on');

  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'true');
  const c = await connect(clients, port);
  await roundTrip(c, 'traced\n');
  c.write('boom\r\n');
  await expect(counter(page, 'failed')).toHaveText('1');
  // While it records: the trace holds what is written so far.
  await expect(page.getByTestId('record-status')).toContainText(/[1-9]\d* events/);
  const [trace] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-trace').click(),
  ]);
  expect(trace.suggestedFilename()).toMatch(/^echoscope-.*\.trace\.json$/);
  const text = await downloaded(trace);
  expectChromeTrace(text);
  expect(text).toContain('crash: Error: Unexpected network error');
  await expect(page.getByTestId('session-error')).toHaveCount(0);
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'false');
});

test('a recording that reaches its size limit says so beside the toggle, and still replays', async ({
  page,
}, testInfo) => {
  // A host of its own, with a 10 KiB limit (--record-limit is in MiB).
  const dir = mkdtempSync(join(tmpdir(), 'echoscope-e2e-limit-'));
  const child = spawn(
    process.execPath,
    [
      resolve(__dirname, '../../bin/echoscope.js'),
      'web',
      '--port',
      '0',
      '--recordings-dir',
      dir,
      '--record-limit',
      '0.01',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const sockets: LoopbackClient[] = [];
  try {
    await expect
      .poll(() => /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)?.[1] ?? null)
      .not.toBeNull();
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)![1]!;
    const port = await openAndStart(page, { url, output: () => output, recordingsDir: dir }, async () => {
      await page.getByTestId('record-toggle').click();
      await expect(page.getByTestId('record-toggle')).toHaveAttribute('aria-pressed', 'true');
    });
    for (let i = 0; i < 60; i++) sockets.push(await LoopbackClient.open(port));
    const status = page.getByTestId('record-status');
    await expect(status).toHaveAttribute('data-stopped-by', 'size-limit');
    await expect(status).toContainText('Recording stopped at its size limit of 10485 bytes');
    await expect(status).toContainText(/more came after/);
    await expect(page.getByTestId('record-toggle')).toHaveAttribute('aria-pressed', 'false');
    await snap(page, testInfo, 'h1-record-limit');
    await page.getByTestId('record-replay').click();
    await expect(page.getByTestId('replay-title')).toContainText('Replay of echoscope-');
    expect(Number(await counter(page, 'accepted').textContent())).toBeGreaterThan(0);
    await page.getByTestId('replay-live-button').click();
    await expect(counter(page, 'accepted')).toHaveText('60');
  } finally {
    for (const s of sockets) s.destroy();
    child.kill('SIGINT');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Record turned on while the server listens: the replay shows it Listening from the first instant', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await openAndStart(page, webHost);
  // A task before the recording: its accept is not in the file.
  await roundTrip(await connect(clients, port), 'before\n');
  await expect(counter(page, 'accepted')).toHaveText('1');
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'true');
  for (let i = 0; i < 2; i++) await roundTrip(await connect(clients, port), `after ${i}\n`);
  await expect(counter(page, 'accepted')).toHaveText('3');
  const liveEvents = await counter(page, 'events').textContent();
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'false');

  await page.getByTestId('record-replay').click();
  await expect(page.getByTestId('replay-title')).toContainText('Replay of');
  const status = page.getByTestId('server-status');
  // At its end (the server still running) and at its very start: Listening on the bound port.
  await expect(status).toHaveAttribute('data-phase', 'listening');
  await expect(status).toContainText(`:${port}`);
  await expect(counter(page, 'accepted')).toHaveText('2');
  await expect(counter(page, 'events')).toHaveText(liveEvents!);
  await page.getByTestId('replay-scrubber').focus();
  await page.keyboard.press('Home');
  await expect(status).toHaveAttribute('data-phase', 'listening');
  await expect(status).toContainText(`Listening on 127.0.0.1:${port}`);
  await expect(counter(page, 'accepted')).toHaveText('0');
  await snap(page, testInfo, 'h9-replay-mid-run-start');
  await page.getByTestId('replay-live-button').click();
  await expect(page.getByTestId('replay-bar')).toHaveCount(0);
});
