import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/app-store';
import { onStoreRefresh } from './store-refresh-clock';

describe('onStoreRefresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells the first change at once, then at most once per interval, with the newest state last', () => {
    const store = createAppStore();
    const seen: number[] = [];
    const off = onStoreRefresh(100, () => seen.push(store.getState().droppedTotal), store);
    store.setState({ droppedTotal: 1 });
    expect(seen).toEqual([1]);
    store.setState({ droppedTotal: 2 });
    store.setState({ droppedTotal: 3 });
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 3]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 3]);
    off();
  });

  it('ticks every listener of one interval together, and stops hearing the store when the last leaves', () => {
    const store = createAppStore();
    const ticks: string[] = [];
    const offA = onStoreRefresh(150, () => ticks.push('a'), store);
    store.setState({ droppedTotal: 1 });
    const offB = onStoreRefresh(150, () => ticks.push('b'), store);
    store.setState({ droppedTotal: 2 });
    vi.advanceTimersByTime(150);
    expect(ticks).toEqual(['a', 'a', 'b']);
    offA();
    offB();
    store.setState({ droppedTotal: 3 });
    vi.advanceTimersByTime(1000);
    expect(ticks).toEqual(['a', 'a', 'b']);
  });

  it('with interval 0 tells every change', () => {
    const store = createAppStore();
    let ticks = 0;
    const off = onStoreRefresh(0, () => ticks++, store);
    store.setState({ droppedTotal: 1 });
    store.setState({ droppedTotal: 2 });
    store.setState({ droppedTotal: 3 });
    expect(ticks).toBe(3);
    off();
  });
});
