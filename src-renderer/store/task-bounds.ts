import { isDangling, type TaskView } from '../../src-shared/task-view';

/** Ended tasks the renderer keeps; the oldest ended are forgotten first. Live and dangling tasks always stay. */
export const ENDED_TASK_CAP = 20_000;

/**
 * Forgets the tasks that ended longest ago until at most `cap` ended tasks remain. Both `tasks` and
 * `endedOrder` (the end-order queue) must be the caller's own: they are changed in place.
 */
export function evictEndedTasks(tasks: Map<number, TaskView>, endedOrder: number[], cap: number): void {
  if (endedOrder.length <= cap) return;
  const requeued: number[] = [];
  let head = 0;
  // Each id is looked at once: a dangling connection is still news, so it goes to the back of the queue.
  while (endedOrder.length - head + requeued.length > cap && head < endedOrder.length) {
    const id = endedOrder[head++]!;
    const view = tasks.get(id);
    if (view && isDangling(view)) requeued.push(id);
    else tasks.delete(id);
  }
  endedOrder.splice(0, head);
  for (const id of requeued) endedOrder.push(id);
}
