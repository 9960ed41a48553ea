import { describe, expect, it } from 'vitest';
import { EventFactory } from '../store/event-fixtures';
import { queryTasks } from '../store/task-query';
import { KeptTasks } from '../store/tasks-slice';
import { orderOf, TASK_COLUMNS, TASK_GRID_STYLE } from './task-columns';

function sample() {
  const f = new EventFactory();
  return KeptTasks.fold(KeptTasks.empty(), [
    ...[f.listening(), f.accepted(1), f.received(1, 'hello')],
    ...[f.accepted(2), f.failed(2, true)],
    ...[f.accepted(3), f.completed(3), f.closed(3)],
    ...[f.accepted(4), f.failed(4, false), f.closed(4)],
  ]);
}

describe('the task column spec', () => {
  it('gives every column one grid track, a unique id and, if sortable, a unique sort key', () => {
    const tracks = (TASK_GRID_STYLE as Record<string, string>)['--task-columns'];
    expect(tracks).toBe(TASK_COLUMNS.map((c) => c.width).join(' '));
    const narrow = (TASK_GRID_STYLE as Record<string, string>)['--task-columns-narrow'];
    expect(narrow).toBe(TASK_COLUMNS.flatMap((c) => (c.optional ? [] : [c.width])).join(' '));
    expect(new Set(TASK_COLUMNS.map((c) => c.id)).size).toBe(TASK_COLUMNS.length);
    const keys = TASK_COLUMNS.flatMap((c) => (c.sort ? [c.sort.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('sorts by state with dangling next to running, and by bytes', () => {
    const ids = (key: string, dir: 'asc' | 'desc') =>
      queryTasks(sample(), { state: 'all', text: '', sort: orderOf({ key, dir }) }).map((t) => t.id);
    expect(ids('state', 'asc')).toEqual([1, 2, 4, 3]);
    expect(ids('bytes', 'desc')[0]).toBe(1);
    expect(ids('id', 'desc')).toEqual([4, 3, 2, 1]);
  });
});
