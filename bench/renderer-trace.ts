/**
 * Optional evidence (UI_BENCH_PROFILE=1): a Chromium performance trace of the page over the burst,
 * reduced to where the renderer's main thread spent its time (self time per trace event: script,
 * style, layout, paint, GC), so a frame-time MISS can be attributed. The raw trace is saved too (open it in DevTools' Performance tab).
 */
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Where the renderer's main thread spent its time, by trace event, self time (children excluded). */
export interface TraceSummary {
  /** Time inside top-level main-thread events: the thread was busy, not idle. */
  busyMs: number;
  traceMs: number;
  bySelfTime: Array<{ name: string; selfMs: number; count: number }>;
}

export function summarizeTrace(events: TraceEvent[]): TraceSummary {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events
    .filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, { us: number; count: number }>();
  const stack: Array<{ e: TraceEvent; end: number; childUs: number }> = [];
  let busyUs = 0;
  const close = (frame: { e: TraceEvent; childUs: number }): void => {
    const t = self.get(frame.e.name) ?? { us: 0, count: 0 };
    t.us += Math.max(0, frame.e.dur! - frame.childUs);
    t.count++;
    self.set(frame.e.name, t);
  };
  for (const e of onMain) {
    while (stack.length > 0 && stack.at(-1)!.end <= e.ts) close(stack.pop()!);
    const parent = stack.at(-1);
    if (parent) parent.childUs += e.dur!;
    else busyUs += e.dur!;
    stack.push({ e, end: e.ts + e.dur!, childUs: 0 });
  }
  while (stack.length > 0) close(stack.pop()!);
  const first = onMain[0]?.ts ?? 0;
  const last = Math.max(0, ...onMain.map((e) => e.ts + e.dur!));
  const bySelfTime = [...self.entries()]
    .map(([name, t]) => ({ name, selfMs: Math.round(t.us / 1000), count: t.count }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, 20);
  return { busyMs: Math.round(busyUs / 1000), traceMs: Math.round((last - first) / 1000), bySelfTime };
}

export async function startRendererTrace(
  browser: Browser,
  page: Page,
): Promise<{ stop(path: string): Promise<TraceSummary> }> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'toplevel'],
  });
  return {
    async stop(path) {
      const buffer = await browser.stopTracing();
      writeFileSync(path, buffer);
      const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
      return summarizeTrace(Array.isArray(parsed) ? parsed : parsed.traceEvents);
    },
  };
}
