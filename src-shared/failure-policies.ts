/**
 * The failure policies: what happens when a connection task's body throws. One row per policy; the
 * `FailurePolicy` type, validation, the CLI usage and banner, the settings picker, the lesson bar and
 * the warnings panel derive from this table, and `src-main/core/failure-policy.ts` applies a row's
 * properties to a failed task. A new policy is a row here, its behaviour there, and its tests.
 */

import { isOwnKey } from './untrusted-value';

/** What becomes of a failed task's exception. */
export type ExceptionFate =
  /** Caught and logged with its stack (`except`): no warning, ever. */
  | 'logged'
  /** Nobody retrieves it: "Task exception was never retrieved" when the task is collected, else at stop. */
  | 'never-retrieved';

/** What becomes of a failed task's connection (unless a reset already closed it). */
export type SocketFate =
  /** Open and unread until the task object is garbage-collected; its socket finalizer then closes it. */
  | 'dangles-until-collected'
  /** Open and unread until stop closes it: a retained task is never collected. */
  | 'dangles-until-stop'
  /** Closed as soon as the task fails (`finally`); the client sees EOF. */
  | 'closed-at-once';

/** How the UI colours a policy: how loudly its lesson warns. */
export type PolicyTone = 'danger' | 'caution' | 'safe';

/**
 * One policy. Whether tasks are retained and what happens to the socket go together: a retained task is
 * never collected, so its socket cannot wait for a collection, and an unretained one is not kept until stop.
 */
export type FailurePolicyRow = {
  /** Shown in the lesson bar. */
  title: string;
  /** One line: what the policy does, shown beside the picker and in the CLI banner. */
  lesson: string;
  exception: ExceptionFate;
  tone: PolicyTone;
} & (
  | {
      /** Failed tasks are kept referenced (the article's `tasks` list), so they are never collected. */
      retainsTasks: true;
      socket: 'dangles-until-stop' | 'closed-at-once';
    }
  | { retainsTasks: false; socket: 'dangles-until-collected' | 'closed-at-once' }
);

/** Every failure policy, in the order they are offered. */
export const POLICIES = {
  unhandled: {
    title: 'Unhandled — the article’s first version',
    lesson:
      'The error escapes the task and nobody awaits it: the connection dangles until the task is garbage-collected, then "Task exception was never retrieved".',
    retainsTasks: false,
    exception: 'never-retrieved',
    socket: 'dangles-until-collected',
    tone: 'danger',
  },
  retained: {
    title: 'Retained — tasks kept in a list',
    lesson:
      'Tasks are kept in a list, so they are never collected: no warning, the connection stays open and silent until stop.',
    retainsTasks: true,
    exception: 'never-retrieved',
    socket: 'dangles-until-stop',
    tone: 'caution',
  },
  handled: {
    title: 'Handled — try / except / finally',
    lesson:
      'The fixed version: the error is logged with its stack and the connection is closed in a finally.',
    retainsTasks: false,
    exception: 'logged',
    socket: 'closed-at-once',
    tone: 'safe',
  },
} as const satisfies Record<string, FailurePolicyRow>;

/** What happens to a task whose body throws: one of the table's ids. */
export type FailurePolicy = keyof typeof POLICIES;

/** Every policy id, in the table's order. */
export const FAILURE_POLICIES = Object.keys(POLICIES) as FailurePolicy[];

/** Whether `value` names a policy (by own key: `toString` and `__proto__` do not). */
export function isFailurePolicy(value: unknown): value is FailurePolicy {
  return isOwnKey(POLICIES, value);
}

/**
 * Whether collecting garbage has something to show under a policy: failed tasks are let go with an
 * exception nobody retrieved or a socket left open, so a collection reports or closes them.
 */
export function collectionMatters(row: FailurePolicyRow): boolean {
  return (
    !row.retainsTasks && (row.exception === 'never-retrieved' || row.socket === 'dangles-until-collected')
  );
}

/** When "Task exception was never retrieved" appears under a policy, as the end of a sentence. */
export function whenWarned(row: FailurePolicyRow): string {
  if (row.exception === 'logged') return 'never';
  return row.retainsTasks ? 'only at Stop' : 'when a failed task is garbage collected';
}
