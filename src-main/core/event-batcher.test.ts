import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventBatch } from '../../src-shared/events';
import { EventBus } from './event-bus';

function waitForBatch(batches: EventBatch[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (batches.length >= count) resolve();
      else if (Date.now() - started > 2000) reject(new Error('no batch'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('EventBus batching', () => {
  it('delivers events in one batch per interval with exact counters', async () => {
    const bus = new EventBus();
    const batches: EventBatch[] = [];
    bus.subscribe((b) => batches.push(b), { intervalMs: 20 });
    bus.emit({ kind: 'accepted', taskId: 1, peerAddress: '127.0.0.1', peerPort: 1, localPort: 2 });
    bus.emit({ kind: 'received', taskId: 1, bytes: 5, reads: 1, preview: '' });
    await waitForBatch(batches, 1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(batches[0]!.counters).toMatchObject({ accepted: 1, live: 1, bytesIn: 5, events: 2 });
    expect(batches[0]!.lastSeq).toBe(2);
  });

  it('drops detail first, then anything, over its bounds — and counts every drop', async () => {
    const bus = new EventBus();
    const batches: EventBatch[] = [];
    bus.subscribe((b) => batches.push(b), {
      intervalMs: 20,
      bounds: { detailLimit: 10, hardLimit: 15 },
    });
    for (let id = 1; id <= 10; id++)
      bus.emit({ kind: 'accepted', taskId: id, peerAddress: 'a', peerPort: id, localPort: 1 });
    for (let i = 0; i < 100; i++) bus.emit({ kind: 'received', taskId: 1, bytes: 1, reads: 1, preview: '' });
    for (let id = 11; id <= 20; id++)
      bus.emit({ kind: 'accepted', taskId: id, peerAddress: 'a', peerPort: id, localPort: 1 });
    await waitForBatch(batches, 1);
    const batch = batches[0]!;
    const kinds = batch.events.map((e: EngineEvent) => e.kind);
    expect(kinds.filter((k) => k === 'received')).toHaveLength(0);
    expect(kinds.filter((k) => k === 'accepted')).toHaveLength(15);
    expect(batch.dropped).toBe(100 + 5);
    expect(batch.events.length + batch.dropped).toBe(120);
    // Counters stay exact even though detail was dropped.
    expect(batch.counters).toMatchObject({ accepted: 20, live: 20, bytesIn: 100, events: 120 });
  });

  it('never sends more than one batch per interval under a steady stream', async () => {
    const bus = new EventBus();
    const batches: EventBatch[] = [];
    bus.subscribe((b) => batches.push(b), { intervalMs: 25 });
    const started = performance.now();
    // Bounded: 200 ms of emitting, at most 20,000 events.
    for (let i = 0; i < 20_000 && performance.now() - started < 200; i++) {
      bus.emit({ kind: 'accepted', taskId: i + 1, peerAddress: 'a', peerPort: 1, localPort: 1 });
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    const elapsed = performance.now() - started;
    await new Promise((r) => setTimeout(r, 40));
    expect(batches.length).toBeLessThanOrEqual(Math.ceil((elapsed + 40) / 25) + 1);
    expect(batches.reduce((n, b) => n + b.events.length + b.dropped, 0)).toBe(bus.lastSeq);
  });
});

describe('EventBus batching under a saturated event loop', () => {
  it('keeps delivering batches while the loop is too busy to run timers', () => {
    const bus = new EventBus();
    const batches: EventBatch[] = [];
    bus.subscribe((b) => batches.push(b), { intervalMs: 10 });
    const started = performance.now();
    let id = 0;
    // Bounded: 150 ms of synchronous work (no timer can fire), at most 100,000 events.
    while (performance.now() - started < 150 && id < 100_000) {
      bus.emit({ kind: 'accepted', taskId: ++id, peerAddress: 'a', peerPort: 1, localPort: 1 });
    }
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.length).toBeLessThanOrEqual(16);
  });

  it('never drops server events, even over the hard limit', async () => {
    const bus = new EventBus();
    const batches: EventBatch[] = [];
    bus.subscribe((b) => batches.push(b), {
      intervalMs: 20,
      bounds: { detailLimit: 5, hardLimit: 5 },
    });
    for (let id = 1; id <= 10; id++)
      bus.emit({ kind: 'accepted', taskId: id, peerAddress: 'a', peerPort: id, localPort: 1 });
    bus.emit({ kind: 'stopped', cancelled: 0, forced: 0, durationMs: 1 });
    await waitForBatch(batches, 1);
    expect(batches[0]!.events.map((e) => e.kind)).toEqual([...Array(5).fill('accepted'), 'stopped']);
    expect(batches[0]!.dropped).toBe(5);
  });
});
