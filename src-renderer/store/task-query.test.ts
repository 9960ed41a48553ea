import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../src-shared/task-view';
import { EventFactory } from './event-fixtures';
import { queryTasks, taskId, tasksByPeerPort } from './task-query';
import { KeptTasks } from './tasks-slice';

function sample(): ReadonlyMap<number, TaskView> {
  const f = new EventFactory();
  return KeptTasks.fold(KeptTasks.empty(), [
    f.listening(),
    f.accepted(1, 40001),
    f.received(1, 'hello'),
    f.accepted(2, 40002),
    f.failed(2, true),
    f.accepted(3, 40003),
    f.completed(3),
    f.accepted(4, 40004),
    f.failed(4, false),
    f.closed(4),
  ]);
}

describe('queryTasks', () => {
  it('filters by state, with dangling meaning failed and still open', () => {
    const tasks = sample();
    const ids = (state: Parameters<typeof queryTasks>[1]['state']) =>
      queryTasks(tasks, { state, text: '', sort: { value: taskId, dir: 'asc' } }).map((t) => t.id);
    expect(ids('all')).toEqual([1, 2, 3, 4]);
    expect(ids('running')).toEqual([1]);
    expect(ids('failed')).toEqual([2, 4]);
    expect(ids('dangling')).toEqual([2]);
    expect(ids('completed')).toEqual([3]);
  });

  it('filters by text on id and peer, and sorts by a value, ties in id order', () => {
    const tasks = sample();
    expect(
      queryTasks(tasks, { state: 'all', text: '40003', sort: { value: taskId, dir: 'asc' } }).map(
        (t) => t.id,
      ),
    ).toEqual([3]);
    expect(
      queryTasks(tasks, { state: 'all', text: '#2', sort: { value: taskId, dir: 'asc' } }).map((t) => t.id),
    ).toEqual([2]);
    const byBytes = { value: (t: TaskView) => t.bytesIn + t.bytesOut, dir: 'desc' } as const;
    expect(queryTasks(tasks, { state: 'all', text: '', sort: byBytes })[0]?.id).toBe(1);
  });

  it('sorts by id either way, also when the map is not in id order', () => {
    const tasks = sample();
    const sortIds = (m: ReadonlyMap<number, TaskView>, dir: 'asc' | 'desc') =>
      queryTasks(m, { state: 'all', text: '', sort: { value: taskId, dir } }).map((t) => t.id);
    expect(sortIds(tasks, 'desc')).toEqual([4, 3, 2, 1]);
    const shuffled = new Map([...tasks].reverse());
    expect(sortIds(shuffled, 'asc')).toEqual([1, 2, 3, 4]);
    expect(sortIds(shuffled, 'desc')).toEqual([4, 3, 2, 1]);
  });

  it('maps peer ports to tasks for the built-in client link', () => {
    expect(tasksByPeerPort(sample()).get(40002)).toBe(2);
  });
});
