import type { Page } from '@playwright/test';
import { COUNTER_KEYS } from '../src-shared/counters';
import type { Counters } from '../src-shared/events';
import type { BatchFrames } from './batch-frames';
import { fetchSnapshot } from './host-snapshot';
import { readUiCounters } from './page-probes';
import type { CounterCheck } from './ui-bench-figures';
import { fmt } from './ui-bench-report';
import type { WebHostProcess } from './web-host-process';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { freePort } from '../src-main/core/testing/free-port';

/** The engine's own Stop duration, from the UI's stop report ("... cancelled in 485 ms" or "in 1.2 s"). */
export function stopMsFromReport(report: string | null): number | null {
  const m = / in ([\d.,]+) (ms|s)\b/.exec(report ?? '');
  if (!m) return null;
  const n = Number(m[1]!.replace(/,/g, ''));
  return m[2] === 's' ? n * 1000 : n;
}

/** A test id outside the benchmark's contract (the UI is still evolving): its text, or null. */
export function optionalText(page: Page, testId: string): Promise<string | null> {
  return page
    .getByTestId(testId)
    .textContent({ timeout: 5000 })
    .catch(() => null);
}

/**
 * Every row of the whole table (not only those in view) has ended: the "running" filter shows the
 * empty-table message. Null when the filter chips are not there to ask.
 */
export async function noRowRunning(page: Page): Promise<boolean | null> {
  try {
    await page.getByTestId('filter-running').click({ timeout: 5000 });
  } catch {
    return null;
  }
  const empty = await page
    .getByTestId('task-table-empty')
    .waitFor({ timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  await page
    .getByTestId('filter-all')
    .click({ timeout: 5000 })
    .catch(() => {});
  return empty;
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Waits until the counters the page is sent have not changed for `quietMs`. */
export async function quiet(frames: BatchFrames, quietMs: number, timeoutMs: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  await until('the engine to go quiet', timeoutMs, () => {
    const events = frames.latest()?.events ?? 0;
    if (events !== last) {
      last = events;
      since = Date.now();
    }
    return Date.now() - since >= quietMs ? true : undefined;
  });
}

function mismatches(ui: Record<string, number>, engine: Counters): string[] {
  return COUNTER_KEYS.filter((k) => ui[k] !== engine[k]).map(
    (k) => `${k}: ui ${ui[k]} vs engine ${engine[k]}`,
  );
}

/** Reads the engine's counters independently, then waits for the UI to show exactly those. */
export async function compareCounters(
  page: Page,
  host: WebHostProcess,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<CounterCheck> {
  const snapshot = await fetchSnapshot(host.origin, host.token);
  const started = performance.now();
  let ui: Record<string, number> = {};
  try {
    await until('UI counters to match the engine', timeoutMs, async () => {
      ui = await readUiCounters(page);
      return mismatches(ui, snapshot.counters).length === 0 ? true : undefined;
    });
  } catch {
    // Reported as a mismatch below.
  }
  log(
    `counters compared after ${fmt(performance.now() - started)} ms (snapshot: ${snapshot.tasks.length} tasks)`,
  );
  return { engine: snapshot.counters, ui, mismatches: mismatches(ui, snapshot.counters) };
}
