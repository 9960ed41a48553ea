import { describe, expect, it } from 'vitest';
import { EventFactory } from '../store/event-fixtures';
import { KeptTasks } from '../store/tasks-slice';
import { layoutTimeline } from './timeline-bars';

describe('layoutTimeline', () => {
  it('places the newest tasks first, with a tail while a failed task’s connection dangles', () => {
    const f = new EventFactory();
    const tasks = KeptTasks.fold(KeptTasks.empty(), [
      f.listening(),
      f.accepted(1),
      f.completed(1),
      f.accepted(2),
      f.failed(2, true),
    ]);
    const now = 1_000 + f.seq + 5;
    const layout = layoutTimeline(tasks, now, 200);
    expect(layout.bars.map((b) => b.id)).toEqual([2, 1]);
    const failed = layout.bars[0]!;
    expect(failed.dangling).toBe(true);
    expect(failed.left + failed.width + failed.tailWidth).toBeCloseTo(100);
    expect(layoutTimeline(tasks, now, 1).bars).toHaveLength(1);
  });
});
