import type { FailurePolicy, ServerSettings } from './events';

/** Defaults of the product spec: the article's server on 127.0.0.1:8000, first (unhandled) version. */
export const DEFAULT_SETTINGS: ServerSettings = {
  host: '127.0.0.1',
  port: 8000,
  policy: 'unhandled',
  crashWord: 'boom',
  match: 'line',
  recvSize: 1024,
};

/** One line per policy, shown next to the policy picker and in the CLI banner. */
export const POLICY_EXPLANATIONS = {
  unhandled:
    'The error escapes the task and nobody awaits it: the connection dangles until the task is garbage-collected, then "Task exception was never retrieved".',
  retained:
    'Tasks are kept in a list, so they are never collected: no warning, the connection stays open and silent until stop.',
  handled: 'The fixed version: the error is logged with its stack and the connection is closed in a finally.',
} as const satisfies Record<FailurePolicy, string>;

/** Every failure policy, in the order they are offered; derived from the table above, so none is left out. */
export const FAILURE_POLICIES = Object.keys(POLICY_EXPLANATIONS) as FailurePolicy[];
