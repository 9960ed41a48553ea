/**
 * When a failed task that nobody references any more is collected, under a policy where that matters
 * (`collectionMatters` in `failure-policies.ts`). One row per mode: the `CollectionMode` type, validation,
 * the CLI usage and banner, the settings picker and the lesson bar derive from this table, and
 * `src-main/core/failure-policy.ts` applies it.
 */

import { isOwnKey } from './untrusted-value';

/** One collection mode. */
export interface CollectionModeRow {
  /** Short label for the settings picker; "Collected <label>" leads the lesson bar's line. */
  label: string;
  /** One line: what a user sees after `boom` under `unhandled`, shown in the lesson bar and CLI banner. */
  lesson: string;
  /** Whether the engine asks for a (real) collection as soon as a failed task is dropped. */
  collectsAtOnce: boolean;
}

/** Every collection mode, in the order they are offered; the first is the default. */
export const COLLECTION_MODES = {
  cpython: {
    label: 'like CPython',
    lesson:
      'the dropped task is collected at once (by reference counting in CPython, by a real gc() here), so the warning and the EOF come right away.',
    collectsAtOnce: true,
  },
  v8: {
    label: 'like V8',
    lesson:
      'nothing happens until V8 collects on its own, maybe never in an idle process; a forced collection ("Collect garbage now", gc in the CLI) shows it happen.',
    collectsAtOnce: false,
  },
} as const satisfies Record<string, CollectionModeRow>;

/** When a dropped, failed task is collected: one of the table's ids. */
export type CollectionMode = keyof typeof COLLECTION_MODES;

/** Every collection mode id, in the table's order. */
export const COLLECTION_MODE_IDS = Object.keys(COLLECTION_MODES) as CollectionMode[];

/** Whether `value` names a collection mode (by own key: `toString` and `__proto__` do not). */
export function isCollectionMode(value: unknown): value is CollectionMode {
  return isOwnKey(COLLECTION_MODES, value);
}
