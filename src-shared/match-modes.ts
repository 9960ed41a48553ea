/**
 * How the crash word is recognised in what a connection sends. One row per mode: the `MatchMode` type,
 * validation, the CLI usage, the settings picker and the stored-draft check derive from this table;
 * `src-main/core/crash-detector.ts` implements each mode.
 */

import { isOwnKey } from './untrusted-value';

/** One match mode. */
export interface MatchModeRow {
  /** Label in the settings picker. */
  label: string;
  /** One line: what triggers the crash under this mode (the picker's tooltip). */
  rule: string;
}

/** Every match mode, in the order they are offered; the first is the default. */
export const MATCH_MODES = {
  line: { label: 'line', rule: 'any received line equal to the crash word' },
  exact: { label: 'exact read', rule: 'a read equal to word + \\r\\n, as in the article' },
} as const satisfies Record<string, MatchModeRow>;

/** How the crash word is matched: one of the table's ids. */
export type MatchMode = keyof typeof MATCH_MODES;

/** Every match mode id, in the table's order. */
export const MATCH_MODE_IDS = Object.keys(MATCH_MODES) as MatchMode[];

/** Whether `value` names a match mode (by own key: `toString` and `__proto__` do not). */
export function isMatchMode(value: unknown): value is MatchMode {
  return isOwnKey(MATCH_MODES, value);
}
