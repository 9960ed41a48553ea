import { type AppStore, appStore } from '../store/app-store';

/** How often the live views (counters, task table) follow a busy store: one shared cadence. */
export const LIVE_REFRESH_MS = 150;

type Tick = () => void;

interface Clock {
  ticks: Set<Tick>;
  timer: ReturnType<typeof setTimeout> | null;
  lastAt: number;
  unsubscribe: () => void;
}

/**
 * Store changes, told at most once per `intervalMs` (the newest state always lands, at the end of the
 * interval; a change after a quiet spell is told at once). Every listener of one interval shares one
 * timer, so views that refresh at the same cadence change the DOM together and the browser lays out
 * and paints once per tick instead of once per view (and once per batch). 0 tells every change.
 */
export function onStoreRefresh(intervalMs: number, tick: Tick, store: AppStore = appStore): () => void {
  const clocks = clocksOf(store);
  let clock = clocks.get(intervalMs);
  if (!clock) {
    const created: Clock = {
      ticks: new Set(),
      timer: null,
      lastAt: Number.NEGATIVE_INFINITY,
      unsubscribe: () => {},
    };
    const fire = () => {
      created.timer = null;
      created.lastAt = performance.now();
      for (const t of [...created.ticks]) t();
    };
    created.unsubscribe = store.subscribe(() => {
      if (created.timer) return;
      const wait = created.lastAt + intervalMs - performance.now();
      if (wait <= 0) fire();
      else created.timer = setTimeout(fire, wait);
    });
    clocks.set(intervalMs, created);
    clock = created;
  }
  const own = clock;
  own.ticks.add(tick);
  return () => {
    own.ticks.delete(tick);
    if (own.ticks.size > 0) return;
    own.unsubscribe();
    if (own.timer) clearTimeout(own.timer);
    clocks.delete(intervalMs);
  };
}

const clocksByStore = new WeakMap<AppStore, Map<number, Clock>>();

function clocksOf(store: AppStore): Map<number, Clock> {
  let clocks = clocksByStore.get(store);
  if (!clocks) {
    clocks = new Map();
    clocksByStore.set(store, clocks);
  }
  return clocks;
}
