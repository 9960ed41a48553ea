import { describe, expect, it } from 'vitest';
import { zeroCounters } from '../../src-shared/counters';
import { type EngineEvent, EVENT_SCHEMA_VERSION, type EventBatch } from '../../src-shared/events';
import { BatchFlowGate } from './batch-flow-gate';

function batch(lastSeq: number, events: number): EventBatch {
  const list = Array.from({ length: events }, (_, i) => ({
    kind: 'completed' as const,
    taskId: i + 1,
    seq: lastSeq - events + i + 1,
    at: 0,
  }));
  return {
    v: EVENT_SCHEMA_VERSION,
    events: list,
    dropped: 0,
    counters: { ...zeroCounters(), events: lastSeq },
    lastSeq,
  };
}

describe('BatchFlowGate', () => {
  it('sends up to the window, then merges the rest into one held batch with the newest counters', () => {
    const sent: EventBatch[] = [];
    const gate = new BatchFlowGate((b) => sent.push(b), 2);
    gate.offer(batch(3, 3));
    gate.offer(batch(5, 2));
    gate.offer(batch(9, 4));
    gate.offer(batch(10, 1));
    expect(sent.map((b) => b.lastSeq)).toEqual([3, 5]);
    gate.ack();
    expect(sent).toHaveLength(3);
    expect(sent[2]).toMatchObject({ dropped: 0, lastSeq: 10, counters: { events: 10 } });
    expect(sent[2]!.events.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
    gate.ack();
    gate.ack();
    gate.offer(batch(12, 2));
    expect(sent[3]!.events).toHaveLength(2);
  });

  it('holds a bounded number of events however long the receiver stalls, counting the rest as dropped', () => {
    const sent: EventBatch[] = [];
    const gate = new BatchFlowGate((b) => sent.push(b), 1, { detailLimit: 50, hardLimit: 100 });
    for (let i = 1; i <= 10_000; i++) gate.offer(batch(i * 10, 10));
    expect(sent).toHaveLength(1);
    gate.ack();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ dropped: 99_890, lastSeq: 100_000 });
    expect(sent[1]!.events).toHaveLength(100);
  });

  it('holds as a batch does: detail events go past the detail limit, lifecycle events only past the hard limit', () => {
    const sent: EventBatch[] = [];
    const gate = new BatchFlowGate((b) => sent.push(b), 1, { detailLimit: 3, hardLimit: 5 });
    gate.offer(batch(1, 1));
    const received = (seq: number): EngineEvent => ({
      kind: 'received',
      taskId: 1,
      bytes: 1,
      reads: 1,
      preview: '',
      seq,
      at: 0,
    });
    // Held: 3 completed, then 2 received over the detail limit (dropped), then 3 more completed (2 fit).
    const mixed = batch(9, 8);
    mixed.events.splice(3, 2, received(5), received(6));
    gate.offer(mixed);
    gate.ack();
    expect(sent[1]!.events.map((e) => e.seq)).toEqual([2, 3, 4, 7, 8]);
    expect(sent[1]!.dropped).toBe(3);
  });

  it('holds a whole Stop of 10,000 tasks (a cancelled and a closed event each) behind a full window', () => {
    const sent: EventBatch[] = [];
    const gate = new BatchFlowGate((b) => sent.push(b), 4);
    for (let i = 1; i <= 4; i++) gate.offer(batch(i, 1));
    let seq = 4;
    for (let taskId = 1; taskId <= 10_000; taskId += 100) {
      const events: EngineEvent[] = [];
      for (let t = taskId; t < taskId + 100; t++) {
        events.push({ kind: 'cancelled', taskId: t, awaitPoint: 'recv', reason: 'stop', seq: ++seq, at: 0 });
        events.push({ kind: 'closed', taskId: t, reason: 'task-ended', reset: false, seq: ++seq, at: 0 });
      }
      gate.offer({ ...batch(seq, 0), events });
    }
    gate.ack();
    expect(sent).toHaveLength(5);
    expect(sent[4]).toMatchObject({ dropped: 0, lastSeq: 20_004 });
    expect(sent[4]!.events).toHaveLength(20_000);
  });

  it('never drops server events from a held batch', () => {
    const sent: EventBatch[] = [];
    const gate = new BatchFlowGate((b) => sent.push(b), 1, { detailLimit: 1, hardLimit: 1 });
    gate.offer(batch(1, 1));
    gate.offer(batch(3, 2));
    const stopped: EventBatch = {
      ...batch(4, 0),
      events: [{ kind: 'stopped', seq: 4, at: 0, cancelled: 0, forced: 0, durationMs: 1 }],
    };
    gate.offer(stopped);
    gate.ack();
    expect(sent[1]!.events.map((e) => e.kind)).toEqual(['completed', 'stopped']);
    expect(sent[1]!.dropped).toBe(1);
  });
});
