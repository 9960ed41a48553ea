import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/events';
import { EventBus } from './event-bus';
import { ActivityFlusher, DATA_EVENT_BUDGET, MAX_FLUSH_INTERVAL_MS, TaskActivity } from './task-activity';

function busyTasks(count: number, roundTrips = 3): { flusher: ActivityFlusher; events: EngineEvent[] } {
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  bus.onEvent((e) => events.push(e));
  const flusher = new ActivityFlusher(bus, 16);
  for (let id = 1; id <= count; id++) {
    const activity = new TaskActivity(id, flusher);
    for (let i = 0; i < roundTrips; i++) {
      activity.received(Buffer.from('ping\n'));
      activity.echoed(5);
    }
  }
  flusher.flush();
  return { flusher, events };
}

describe('ActivityFlusher', () => {
  it('reports exact totals per task, coalesced: one received and one echoed per busy task per flush', () => {
    const { events } = busyTasks(10);
    expect(events.filter((e) => e.kind === 'received')).toHaveLength(10);
    expect(events.filter((e) => e.kind === 'echoed')).toHaveLength(10);
    expect(events.every((e) => !('reads' in e) || e.reads === 3)).toBe(true);
  });

  it('keeps the base interval while few tasks are busy', () => {
    expect(busyTasks(10).flusher.currentIntervalMs).toBe(16);
  });

  it('lengthens the interval with the number of busy tasks, so data events stay within the budget', () => {
    const tasks = 100;
    const { flusher } = busyTasks(tasks);
    expect(flusher.currentIntervalMs).toBeGreaterThan(16);
    expect(((tasks * 2) / flusher.currentIntervalMs) * 1000).toBeLessThanOrEqual(DATA_EVENT_BUDGET);
    expect(busyTasks(10_000).flusher.currentIntervalMs).toBe(MAX_FLUSH_INTERVAL_MS);
  });

  it('keeps the base interval when each task has about one round trip per flush: nothing would merge', () => {
    expect(busyTasks(10_000, 1).flusher.currentIntervalMs).toBe(16);
  });
});
