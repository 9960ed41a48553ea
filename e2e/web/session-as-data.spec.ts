import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { COUNTER_KEYS } from '../../src-shared/counters';
import type { Counters } from '../../src-shared/events';
import { readRecordingText } from '../../src-shared/recording/recording-reader';
import { foldRecording, ReplayCursor } from '../../src-shared/recording/replay-state';
import { scrubTo } from '../fixtures/replay-scrubber';
import { snap } from '../fixtures/screenshots';
import { expect, startFromUi, test } from '../fixtures/web-host';

/**
 * Issue 12's "Done means", as a new user does it in the browser host: Record, start the server, run the
 * load generator at 1,000 connections with 5% crashing, stop, open the recording, scrub to its middle
 * and to its end, export its trace.
 */

/** The counter strip's counters, the session's (Dropped is the page's own history, not among them). */
const COUNTERS = COUNTER_KEYS;
type Strip = Counters;

/** What the page shows at one moment: the counter strip and, when the Timeline tab is open, the chart. */
interface Reading {
  strip: Strip;
  chart: { running: number; dangling: number; at: number } | null;
}

/**
 * Reads the strip and the chart in one go (page-side source), so the two are of the same moment. The
 * strip writes all its cells in one frame from the store's counters, which are the host's exact
 * counters after one event (their Events count says which): that pins the moment on the recording's
 * own clock. As a string: this project's Node types have no DOM.
 */
const READ_IN_PAGE = `() => {
  const strip = {};
  for (const id of ${JSON.stringify(COUNTERS)}) {
    strip[id] = Number(document.querySelector('[data-testid="counter-' + id + '"]').dataset.value);
  }
  const chart = document.querySelector('[data-testid="live-tasks-chart"]');
  return {
    strip,
    chart: chart && {
      running: Number(chart.dataset.running),
      dangling: Number(chart.dataset.dangling),
      at: Number(chart.dataset.at),
    },
  };
}`;

function read(page: Page): Promise<Reading> {
  return page.evaluate(`(${READ_IN_PAGE})()`);
}

/**
 * Takes a reading in the page each time the strip or the chart redraws (a mutation
 * observer: polling from here answers late while the page is busy), at most 5,000.
 */
function watchReadings(page: Page): Promise<void> {
  return page.evaluate(`(() => {
    const read = ${READ_IN_PAGE};
    const readings = [];
    const observer = new MutationObserver(() => {
      if (readings.length < 5000) readings.push(read());
    });
    observer.observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-value', 'data-running', 'data-dangling', 'data-at'],
    });
    window.echoscopeReadings = () => {
      observer.disconnect();
      return readings;
    };
  })()`);
}

/** The strip's counters of a fold, as a plain copy to compare. */
function pick(counters: Counters): Strip {
  return { ...counters };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a trace viewer's parser requires of each event (the Trace Event Format): name, ph, ts, pid and
 * tid; a duration for a complete slice, args for a counter, a scope for an instant. The events that
 * lack something, described (checked in plain code: tens of thousands of events).
 */
function traceFormatProblems(events: Array<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const e of events) {
    const ok =
      typeof e.name === 'string' &&
      typeof e.ph === 'string' &&
      Number.isFinite(e.ts) &&
      Number.isInteger(e.pid) &&
      Number.isInteger(e.tid) &&
      (e.ph !== 'X' || (Number.isFinite(e.dur) && (e.dur as number) >= 0)) &&
      (e.ph !== 'C' || (typeof e.args === 'object' && e.args !== null)) &&
      ((e.ph !== 'i' && e.ph !== 'I') || ['t', 'p', 'g'].includes(e.s as string));
    if (!ok && problems.length < 5) problems.push(JSON.stringify(e));
  }
  return problems;
}

test('a 1,000-connection load with 5% crashing, recorded, replays exactly: the middle as the live chart showed it, the end as the live counters ended; its trace parses', async ({
  page,
  webHost,
}, testInfo) => {
  test.setTimeout(90_000);
  const began = Date.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${Date.now() - began}`);
  // Record before Start: the file then holds the whole session (its `listening` too), so every
  // counter of the strip, Events included, can be compared with the live one.
  await page.goto(webHost.url);
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'true');
  await startFromUi(page, webHost, 'handled');
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'true');

  // 1,000 connections, each sending one 32-byte message a second for 8 s, 50 of them the crash word.
  await page.getByTestId('tab-load').click();
  await page.getByTestId('load-connections').fill('1000');
  await page.getByTestId('load-rate').fill('1');
  await page.getByTestId('load-size').fill('32');
  await page.getByTestId('load-duration').fill('8');
  await page.getByTestId('load-crash-fraction').fill('0.05');
  await expect(page.getByTestId('load-form-error')).toHaveCount(0);
  await page.getByTestId('load-start').click();
  await expect(page.getByTestId('load-progress')).toHaveAttribute('data-state', 'running');
  phase('load started');

  // While it runs, watch the live chart: note what it shows together with the counter strip of that
  // moment, whenever either redraws, until every connection has ended. A reading counts when the chart
  // (redrawn a few times a second) shows the same counts as the strip (every frame).
  // (A dispatched click: a real one waits for the page's frames to hold still, which they do not while
  // 1,000 connections open on a busy machine.)
  await page.getByTestId('tab-timeline').dispatchEvent('click');
  const chart = page.getByTestId('live-tasks-chart');
  await expect(chart).toBeVisible();
  await watchReadings(page);
  await sleep(2_000);
  await snap(page, testInfo, 'h7-live-chart-during-load');
  await expect(page.getByTestId('counter-accepted')).toHaveAttribute('data-value', '1000', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('counter-live')).toHaveAttribute('data-value', '0', { timeout: 30_000 });
  const readings = (await page.evaluate('window.echoscopeReadings()')) as Reading[];
  const samples = readings.filter(
    (r) =>
      r.chart &&
      r.strip.accepted > 0 &&
      r.strip.live > 0 &&
      r.chart.running === r.strip.live &&
      r.chart.dangling === r.strip.dangling,
  );
  expect(samples.length, `readings that agree with the chart, of ${readings.length}`).toBeGreaterThan(0);

  phase('readings taken');
  // It ends by itself: its summary says every connection opened, 50 crashed and were closed.
  await page.getByTestId('tab-load').click();
  await expect(page.getByTestId('load-summary')).toBeVisible({ timeout: 30_000 });
  const summaryValue = async (id: string) =>
    Number(await page.getByTestId(`load-summary-${id}`).getAttribute('data-value'));
  expect(await summaryValue('connections')).toBe(1000);
  expect(await summaryValue('errors')).toBe(0);
  expect(await summaryValue('mismatches')).toBe(0);
  expect(await summaryValue('crashes')).toBe(50);
  await snap(page, testInfo, 'h7-load-summary');

  // The live session's final counters: after the load every task has ended (crashed or completed).
  await expect(page.getByTestId('counter-accepted')).toHaveAttribute('data-value', '1000');
  await expect(page.getByTestId('counter-live')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('counter-failed')).toHaveAttribute('data-value', '50');
  await expect(page.getByTestId('counter-completed')).toHaveAttribute('data-value', '950');
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await page.getByTestId('record-toggle').click();
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-active', 'false');
  // Stop's own events are counted too; once they are in, the strip holds still.
  let liveFinal = (await read(page)).strip;
  for (let i = 0; i < 20; i++) {
    await sleep(250);
    const again = (await read(page)).strip;
    if (JSON.stringify(again) === JSON.stringify(liveFinal)) break;
    liveFinal = again;
  }
  await page.getByTestId('tab-timeline').click();
  await expect(chart).toHaveAttribute('data-running', '0');
  await snap(page, testInfo, 'h7-live-chart-after-stop');

  phase('stopped');
  // The recording, downloaded as a user gets it: the file the host wrote, whole, with its end notice.
  const link = page.getByTestId('record-download');
  const fileName = (await link.textContent())!;
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const downloadPath = await download.path();
  const text = readFileSync(downloadPath, 'utf8');
  expect(text).toBe(readFileSync(`${webHost.recordingsDir}/${fileName}`, 'utf8'));
  const parsed = readRecordingText(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const recording = parsed.recording;
  expect(recording.problemCount).toBe(0);
  expect(recording.ending?.notice).toBe('end');
  const start = recording.header.startedAt;
  const { events } = recording;
  // The whole file folds to the live session's final counters (the shared reducer, as the replay uses).
  expect(pick(foldRecording(events).counters)).toEqual(liveFinal);

  // Each noted moment, on the recording's clock: the strip's Events count is how many events of this
  // session the host had counted, so it names one event of the file; the fold up to that event must
  // give every counter the page showed then (and so the count the chart showed).
  const cursor = new ReplayCursor(events);
  const moments = samples.map((s) => {
    while (cursor.position < events.length && cursor.currentCounters.events < s.strip.events) {
      cursor.seek(cursor.position + 1);
    }
    expect(pick(cursor.currentCounters), `the fold at the live page's event ${s.strip.events}`).toEqual(
      s.strip,
    );
    const at = events[cursor.position - 1]!.at;
    // The scrubber moves in whole ms: the moment is exact when no later event falls in that ms.
    const ms = Math.ceil(at - start);
    const next = events[cursor.position]?.at;
    return { sample: s, ms, exact: next === undefined || next > start + ms };
  });
  // In whole ms, as the scrubber moves.
  const duration = Math.ceil(Math.max(events.at(-1)!.at, recording.ending!.at) - start);
  const exact = moments.filter((m) => m.exact);
  expect(exact.length, 'a noted moment with no other event in its millisecond').toBeGreaterThan(0);
  // The one nearest the middle of the load: between the first task's start and the last task's end.
  const ends = events.filter((e) => e.kind === 'completed' || e.kind === 'failed');
  const loadMiddle = (events.find((e) => e.kind === 'accepted')!.at + ends.at(-1)!.at) / 2 - start;
  const middle = exact.sort((a, b) => Math.abs(a.ms - loadMiddle) - Math.abs(b.ms - loadMiddle))[0]!;
  expect(middle).toBeDefined();

  phase('recording checked');
  // Open the recording as a user does: Open recording… with the downloaded file.
  await page.getByTestId('open-recording').setInputFiles({
    name: fileName,
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId('replay-title')).toContainText(`Replay of ${fileName}`);
  const scrubber = page.getByTestId('replay-scrubber');
  await expect(scrubber).toHaveAttribute('max', String(duration));

  // Its end: every counter is the live session's final one, and the chart says none running.
  await scrubber.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('counter-accepted')).toHaveAttribute('data-value', '0');
  await page.keyboard.press('End');
  await expect(page.getByTestId('counter-events')).toHaveAttribute('data-value', String(liveFinal.events));
  expect((await read(page)).strip).toEqual(liveFinal);
  await expect(chart).toHaveAttribute('data-running', String(liveFinal.live));
  await expect(chart).toHaveAttribute('data-dangling', String(liveFinal.dangling));
  await snap(page, testInfo, 'h7-replay-end');

  // Its middle: scrubbed to the noted moment, the replay shows what the live page showed then: the
  // chart's running and failed-dangling counts, and every counter of the strip.
  await scrubTo(page, middle.ms);
  await expect(page.getByTestId('counter-events')).toHaveAttribute(
    'data-value',
    String(middle.sample.strip.events),
  );
  const replayed = await read(page);
  expect(replayed.strip).toEqual(middle.sample.strip);
  expect(replayed.chart).toEqual({
    running: middle.sample.chart!.running,
    dangling: middle.sample.chart!.dangling,
    at: start + middle.ms,
  });
  await expect(chart.getByTestId('live-tasks-value')).toContainText(
    `running ${middle.sample.chart!.running},`,
  );
  await snap(page, testInfo, 'h7-replay-middle');

  phase('replay checked');
  // Export trace (of the replay shown): the Trace Event Format's required fields, one track per task,
  // one crash instant per failed task, and its live-tasks counter at the middle as the chart showed it.
  const [traceDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-trace').click(),
  ]);
  expect(traceDownload.suggestedFilename()).toBe(fileName.replace(/\.ndjson$/, '.trace.json'));
  const trace = JSON.parse(readFileSync(await traceDownload.path(), 'utf8')) as {
    traceEvents: Array<Record<string, unknown>>;
  };
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  expect(trace.traceEvents.length).toBeGreaterThan(liveFinal.accepted);
  expect(traceFormatProblems(trace.traceEvents)).toEqual([]);
  const server = trace.traceEvents.filter((e) => e.pid === 1);
  const taskTracks = new Set(server.filter((e) => e.tid !== 0).map((e) => e.tid));
  expect(taskTracks.size).toBeGreaterThanOrEqual(liveFinal.accepted);
  const crashes = server.filter((e) => e.ph === 'i' && e.cat === 'crash');
  expect(crashes.length).toBe(liveFinal.failed);
  const counts = server.filter((e) => e.ph === 'C') as Array<{ ts: number; args: Record<string, number> }>;
  const atMiddle = counts.filter((e) => e.ts <= middle.ms * 1000).at(-1)!;
  expect(atMiddle.args).toEqual({ live: middle.sample.strip.live, dangling: middle.sample.strip.dangling });
  expect(counts.at(-1)!.args.live).toBe(liveFinal.live);

  testInfo.annotations.push({
    type: 'measured',
    description: `${samples.length} of ${readings.length} live readings (${exact.length} exact to the ms); middle at ${middle.ms} ms (load's middle ${Math.round(loadMiddle)}) of ${duration} ms: running ${middle.sample.strip.live}, events ${middle.sample.strip.events}; final ${JSON.stringify(liveFinal)}; ${events.length} events recorded; ms since the start: ${phases.join(', ')}, end ${Date.now() - began}`,
  });
  console.log(testInfo.annotations.at(-1)!.description);
});
