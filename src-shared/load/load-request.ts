/**
 * What the app asks of its load generator: the Load form's fields, checked with the run options' own
 * schemas and budget, so the form, the `startLoad` command and `echoscope load` refuse the same values.
 */
import * as v from 'valibot';
import {
  LOAD_BUDGET_MESSAGE,
  LOAD_ENTRIES,
  LOAD_NUMBER_TEXT,
  type LoadOptions,
  withinLoadBudget,
} from './load-contract';

/** What the app's Load form sets; the target and the crash word are the running server's own. */
export const LOAD_REQUEST_KEYS = ['connections', 'rate', 'size', 'durationS', 'crashFraction'] as const;
export type LoadRequestKey = (typeof LOAD_REQUEST_KEYS)[number];

/** The `startLoad` command's arguments. */
export type LoadRequest = Pick<LoadOptions, LoadRequestKey>;

/**
 * Each request field's check: the same schemas as the options'. A function, not a constant: this module
 * sits in an import cycle (command-validation → here → load-contract → command-validation), so nothing
 * here may read load-contract's values while the modules load.
 */
export function loadRequestEntries() {
  return {
    connections: LOAD_ENTRIES.connections,
    rate: LOAD_ENTRIES.rate,
    size: LOAD_ENTRIES.size,
    durationS: LOAD_ENTRIES.durationS,
    crashFraction: LOAD_ENTRIES.crashFraction,
  } satisfies { [K in LoadRequestKey]: v.GenericSchema<unknown, LoadRequest[K]> };
}

/** The Load form's text, field by field. */
export type LoadDraft = Record<LoadRequestKey, string>;

/** The form's verdict: the request when every field is sound, else one message per faulty field. */
export interface CheckedLoadDraft {
  request: LoadRequest | null;
  errors: Partial<Record<LoadRequestKey | 'budget', string>>;
}

/** Checks the Load form's text with the options' own schemas and budget (what the CLI refuses, it refuses). */
export function checkLoadDraft(draft: LoadDraft): CheckedLoadDraft {
  const errors: CheckedLoadDraft['errors'] = {};
  const values: Partial<LoadRequest> = {};
  const entries = loadRequestEntries();
  for (const key of LOAD_REQUEST_KEYS) {
    const text = draft[key].trim();
    // Text that is not a plain number is checked as NaN, so it gets the field's own bounds message.
    const value = LOAD_NUMBER_TEXT.test(text) ? Number(text) : Number.NaN;
    const parsed = v.safeParse(entries[key], value, { abortPipeEarly: true });
    if (parsed.success) values[key] = parsed.output;
    else errors[key] = parsed.issues[0].message;
  }
  if (Object.keys(errors).length > 0) return { request: null, errors };
  const request = values as LoadRequest;
  if (!withinLoadBudget(request)) return { request: null, errors: { budget: LOAD_BUDGET_MESSAGE } };
  return { request, errors: {} };
}
