import { describe, expect, it } from 'vitest';
import type { ClientView } from './commands';
import { EndedTaskQueue, evictClosedClients, keepNewest, pushBounded } from './retention';
import { isConnectionOpen, type TaskView } from './task-view';

/** Just what the eviction rule reads of a task. */
function ended(id: number, socketOpen: boolean): [number, TaskView] {
  return [id, { id, state: 'failed', socketOpen } as TaskView];
}

describe('the eviction rule', () => {
  it('forgets the tasks that ended first, keeps those whose connection is still open', () => {
    const tasks = new Map([
      ended(2, true),
      ended(3, false),
      ended(5, false),
      ended(6, false),
      ended(7, false),
    ]);
    const queue = new EndedTaskQueue();
    for (const id of [2, 3, 5, 6]) queue.push(id);
    queue.evict(tasks, 2, isConnectionOpen);
    // 2 dangles and goes to the back; 3 and 5 go.
    expect([...tasks.keys()]).toEqual([2, 6, 7]);
    expect(queue.toArray()).toEqual([6, 2]);
  });

  it('forgets a dangling task once its connection has closed and it is oldest', () => {
    const tasks = new Map([ended(1, true), ended(2, false)]);
    const queue = new EndedTaskQueue();
    queue.push(1);
    queue.push(2);
    queue.evict(tasks, 1, isConnectionOpen);
    expect([...tasks.keys()]).toEqual([1]);
    tasks.set(...ended(1, false));
    tasks.set(...ended(3, false));
    queue.push(3);
    queue.evict(tasks, 1, isConnectionOpen);
    expect([...tasks.keys()]).toEqual([3]);
    expect(queue.length).toBe(1);
  });

  it('stays within the limit over many pushes, one eviction per push', () => {
    const tasks = new Map<number, TaskView>();
    const queue = new EndedTaskQueue();
    for (let id = 1; id <= 20_000; id++) {
      tasks.set(...ended(id, false));
      queue.push(id);
      queue.evict(tasks, 100, isConnectionOpen);
    }
    expect(queue.length).toBe(100);
    expect(queue.toArray()[0]).toBe(19_901);
    expect(tasks.size).toBe(100);
  });
});

describe('bounded lists and clients', () => {
  it('keeps the newest entries', () => {
    const list = [1, 2, 3];
    pushBounded(list, 4, 3);
    expect(list).toEqual([2, 3, 4]);
    keepNewest(list, 1);
    expect(list).toEqual([4]);
  });

  it('forgets the oldest closed clients first and never an open one', () => {
    const client = (id: number, open: boolean) => [id, { id, open } as ClientView] as const;
    const clients = new Map([client(1, true), client(2, false), client(3, true), client(4, false)]);
    evictClosedClients(clients, 3);
    expect([...clients.keys()]).toEqual([1, 3, 4]);
    evictClosedClients(clients, 1);
    expect([...clients.keys()]).toEqual([1, 3]);
  });
});
