/**
 * Counts the event batches that reach the page: every WebSocket frame of type 'batch' the page
 * receives (Playwright's `framereceived`), with its arrival time and the engine's exact `counters.events`
 * it carries, so both the batch rate and the real engine event rate come from what the page got.
 */
import type { Page, WebSocket } from '@playwright/test';
import type { Counters } from '../src-shared/events';

const BATCH_PREFIX = '{"type":"batch"';

export interface BatchArrival {
  /** performance.now() of this process when the frame arrived. */
  at: number;
  /** The engine's exact totals as of this batch (`events`: sequence numbers handed out). */
  counters: Counters;
  dropped: number;
  bytes: number;
  /**
   * Engine time between the first and last event in the batch. The batcher cuts a batch every 17 ms,
   * so a span of seconds means the host kept emitting events while its batch timer did not fire.
   */
  spanMs: number;
}

export interface WindowStats {
  seconds: number;
  batches: number;
  batchesPerSecond: number;
  /** Most batches that arrived in any one whole second of the window. */
  maxBatchesInOneSecond: number;
  /** Engine events per second: the change of `counters.events` across the window. */
  eventsPerSecond: number;
  /** The same, per whole second of the window. */
  eventsPerSecondEach: number[];
  droppedEvents: number;
  megabytesPerSecond: number;
  /** Largest `spanMs` of a batch in the window. */
  maxSpanMs: number;
  /** Longest time the page went without a batch (the host sends one every 17 ms while events flow). */
  maxGapMs: number;
}

/** Counters are the batch's last object and hold no nested object: read them from the tail, cheaply. */
function countersOf(payload: string): Counters | null {
  const start = payload.lastIndexOf('"counters":');
  if (start < 0) return null;
  const open = payload.indexOf('{', start);
  const close = payload.indexOf('}', open);
  try {
    return JSON.parse(payload.slice(open, close + 1)) as Counters;
  } catch {
    return null;
  }
}

const AT = /"at":(\d+(?:\.\d+)?)/g;

function spanOf(payload: string): number {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const m of payload.matchAll(AT)) {
    const at = Number(m[1]);
    if (at < min) min = at;
    if (at > max) max = at;
  }
  return max >= min ? max - min : 0;
}

function droppedOf(payload: string): number {
  const m = /"dropped":(\d+),"counters":/.exec(payload.slice(payload.lastIndexOf('"dropped":')));
  return m ? Number(m[1]) : 0;
}

/** The engine's own report of a Stop (its `stopped` event), as JSON.stringify lays it out. */
const STOPPED = /"kind":"stopped","cancelled":(\d+),"forced":(\d+),"durationMs":([\d.]+)/;

export class BatchFrames {
  readonly arrivals: BatchArrival[] = [];
  /** The last `stopped` event seen in a batch. */
  stopped: { cancelled: number; forced: number; durationMs: number } | null = null;

  constructor(page: Page) {
    page.on('websocket', (ws: WebSocket) => {
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string' || !payload.startsWith(BATCH_PREFIX)) return;
        const counters = countersOf(payload);
        if (!counters) return;
        this.arrivals.push({
          at: performance.now(),
          counters,
          dropped: droppedOf(payload),
          bytes: payload.length,
          spanMs: spanOf(payload),
        });
        const stopped = STOPPED.exec(payload);
        if (stopped)
          this.stopped = {
            cancelled: Number(stopped[1]),
            forced: Number(stopped[2]),
            durationMs: Number(stopped[3]),
          };
      });
    });
  }

  /** The newest `counters.events` seen, at or before `at`. */
  private eventsAt(at: number): number {
    let events = 0;
    for (const a of this.arrivals) {
      if (a.at > at) break;
      events = a.counters.events;
    }
    return events;
  }

  /** The newest counters the page was sent. */
  latest(): Counters | null {
    return this.arrivals.at(-1)?.counters ?? null;
  }

  stats(from: number, to: number): WindowStats {
    const inside = this.arrivals.filter((a) => a.at >= from && a.at <= to);
    const seconds = (to - from) / 1000;
    const perSecond: number[] = [];
    const batchesEach: number[] = [];
    for (let s = from; s + 1000 <= to + 1; s += 1000) {
      perSecond.push(this.eventsAt(s + 1000) - this.eventsAt(s));
      batchesEach.push(inside.filter((a) => a.at >= s && a.at < s + 1000).length);
    }
    return {
      seconds,
      batches: inside.length,
      batchesPerSecond: inside.length / seconds,
      maxBatchesInOneSecond: Math.max(0, ...batchesEach),
      eventsPerSecond: (this.eventsAt(to) - this.eventsAt(from)) / seconds,
      eventsPerSecondEach: perSecond,
      droppedEvents: inside.reduce((n, a) => n + a.dropped, 0),
      maxSpanMs: Math.max(0, ...inside.map((a) => a.spanMs)),
      maxGapMs: Math.max(
        0,
        ...[from, ...inside.map((a) => a.at), to].map((t, i, all) => (i ? t - all[i - 1]! : 0)),
      ),
      megabytesPerSecond: inside.reduce((n, a) => n + a.bytes, 0) / seconds / 1e6,
    };
  }
}
