import { LOAD_DEFAULTS } from '../../src-shared/load/load-contract';
import { LOAD_REQUEST_KEYS, type LoadDraft } from '../../src-shared/load/load-request';
import { readStoredJson, writeStoredJson } from '../store/stored-json';

const STORAGE_KEY = 'echoscope.load';

/** The CLI's defaults, as the form's text. */
export function defaultLoadDraft(): LoadDraft {
  const draft = {} as LoadDraft;
  for (const key of LOAD_REQUEST_KEYS) draft[key] = String(LOAD_DEFAULTS[key]);
  return draft;
}

/**
 * The Load form as the user last left it on this origin (so a reload shows the values of the run it
 * finds); a stored field that is missing or not text takes its default. Values are checked as typed later.
 */
export function loadLoadDraft(): LoadDraft {
  const draft = defaultLoadDraft();
  const stored = readStoredJson(STORAGE_KEY);
  if (typeof stored !== 'object' || stored === null) return draft;
  for (const key of LOAD_REQUEST_KEYS) {
    const value: unknown = Object.hasOwn(stored, key) ? (stored as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && value.length <= 32) draft[key] = value;
  }
  return draft;
}

export function saveLoadDraft(draft: LoadDraft): void {
  writeStoredJson(STORAGE_KEY, draft);
}
