/**
 * What the UI benchmark runs inside the page. Kept as JavaScript source text, not functions: tsx
 * rewrites functions (name helpers) in ways that break once Playwright serializes them into the page,
 * and the node tsconfig has no DOM types. Each probe is an expression `page.evaluate` can await.
 */
import type { Page } from '@playwright/test';

/** Installed before the app loads: a requestAnimationFrame loop and a long-task observer. */
export const FRAME_RECORDER = `(() => {
  const bench = { recording: false, frames: [], longTasks: [], last: 0 };
  window.__uiBench = bench;
  const loop = (t) => {
    if (bench.recording && bench.last > 0) bench.frames.push(t - bench.last);
    bench.last = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => {
      if (!bench.recording) return;
      for (const e of list.getEntries()) bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {}
})();`;

export interface FrameRecording {
  /** Milliseconds between consecutive animation frames while recording. */
  frames: number[];
  /** Durations of main-thread tasks over 50 ms while recording. */
  longTasks: number[];
}

export async function startFrameRecording(page: Page): Promise<void> {
  await page.evaluate(
    '(() => { const b = window.__uiBench; b.frames = []; b.longTasks = []; b.last = 0; b.recording = true; })()',
  );
}

export function stopFrameRecording(page: Page): Promise<FrameRecording> {
  return page.evaluate(
    '(() => { const b = window.__uiBench; b.recording = false; return { frames: b.frames, longTasks: b.longTasks }; })()',
  );
}

/** Every counter the UI shows, by id (`counter-live` → `live`), from the exact `data-value`. */
export function readUiCounters(page: Page): Promise<Record<string, number>> {
  return page.evaluate(`(() => {
    const out = {};
    for (const el of document.querySelectorAll('[data-testid^="counter-"]')) {
      out[el.dataset.testid.slice('counter-'.length)] = Number(el.dataset.value);
    }
    return out;
  })()`);
}

export interface ScrollSample {
  /** scrollTop asked for. */
  target: number;
  /** From setting scrollTop to the frame after the new position's rows were in place (painted). */
  ms: number;
  /** False when the rows never covered the viewport within the timeout. */
  ok: boolean;
  /** Rows in the DOM at that moment (the virtualizer's window). */
  rowsInDom: number;
}

const SCROLL_PROBE = `async ({ fractions, pauseMs, timeoutMs }) => {
  const el = document.querySelector('[data-testid="task-table"]');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  // Rows for the new position are rendered when row cells are what is under the viewport's middle and bottom.
  const covered = () => {
    const r = el.getBoundingClientRect();
    const x = r.left + Math.min(40, r.width / 2);
    for (const y of [r.top + r.height / 2, r.bottom - 8]) {
      const hit = document.elementFromPoint(x, y);
      if (!hit || !hit.closest('[data-testid="task-row"]')) return false;
    }
    return true;
  };
  const samples = [];
  for (const f of fractions) {
    const target = Math.round(f * (el.scrollHeight - el.clientHeight));
    const t0 = performance.now();
    el.scrollTop = target;
    let ok = false;
    while (performance.now() - t0 < timeoutMs) {
      await frame();
      if (covered()) { ok = true; break; }
    }
    await frame();
    samples.push({ target, ms: performance.now() - t0, ok, rowsInDom: el.querySelectorAll('[data-testid="task-row"]').length });
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return samples;
}`;

/** Jumps the task table's scroller to each fraction of its height and times until rows fill the view. */
export function probeScroll(page: Page, fractions: number[], pauseMs = 80): Promise<ScrollSample[]> {
  return page.evaluate(`(${SCROLL_PROBE})(${JSON.stringify({ fractions, pauseMs, timeoutMs: 5000 })})`);
}

export interface StopSample {
  /** From the Stop click to the first frame where no row shows running and the live counter is 0. */
  ms: number | null;
  /** Rows in view at that moment, and their states. */
  rowsInView: number;
  states: Record<string, number>;
}

const STOP_PROBE = `async ({ timeoutMs }) => {
  const q = (sel) => document.querySelector(sel);
  const t0 = performance.now();
  q('[data-testid="stop-button"]').click();
  while (performance.now() - t0 < timeoutMs) {
    await new Promise((r) => requestAnimationFrame(r));
    const rows = [...document.querySelectorAll('[data-testid="task-row"]')];
    const live = Number(q('[data-testid="counter-live"]').dataset.value);
    if (rows.length > 0 && live === 0 && rows.every((r) => r.dataset.state !== 'running')) {
      const states = {};
      for (const r of rows) states[r.dataset.state] = (states[r.dataset.state] ?? 0) + 1;
      return { ms: performance.now() - t0, rowsInView: rows.length, states };
    }
  }
  return { ms: null, rowsInView: 0, states: {} };
}`;

/** Clicks Stop in the page and times until every row in view has ended and the live counter reads 0. */
export function probeStop(page: Page, timeoutMs = 20_000): Promise<StopSample> {
  return page.evaluate(`(${STOP_PROBE})(${JSON.stringify({ timeoutMs })})`);
}
