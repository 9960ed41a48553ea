import { describe, expect, it } from 'vitest';
import { zeroCounters } from '../../src-shared/counters';
import { EVENT_SCHEMA_VERSION, type EventBatch } from '../../src-shared/events';
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
    const gate = new BatchFlowGate((b) => sent.push(b), 1, 100);
    for (let i = 1; i <= 10_000; i++) gate.offer(batch(i * 10, 10));
    expect(sent).toHaveLength(1);
    gate.ack();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ dropped: 99_890, lastSeq: 100_000 });
    expect(sent[1]!.events).toHaveLength(100);
  });

  it('never drops server events from a held batch', () => {
    const sent: EventBatch[] = [];
    const gate = new BatchFlowGate((b) => sent.push(b), 1, 1);
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
