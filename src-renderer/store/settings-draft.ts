import { isCollectionMode } from '../../src-shared/collection-modes';
import type { CollectionMode, MatchMode } from '../../src-shared/events';
import { type FailurePolicy, isFailurePolicy } from '../../src-shared/failure-policies';
import { isMatchMode } from '../../src-shared/match-modes';
import { DEFAULT_SETTINGS } from '../../src-shared/settings-defaults';
import { readStoredJson, writeStoredJson } from './stored-json';

/** The control bar's fields as typed (the port stays text until it is validated). */
export interface SettingsDraft {
  host: string;
  port: string;
  crashWord: string;
  match: MatchMode;
  policy: FailurePolicy;
  collection: CollectionMode;
}

/** A draft as stored; one saved before the collection setting existed has none. */
type StoredDraft = Omit<SettingsDraft, 'collection'> & { collection?: CollectionMode };

const STORAGE_KEY = 'echoscope.settings';

export const DEFAULT_DRAFT: SettingsDraft = {
  host: DEFAULT_SETTINGS.host,
  port: String(DEFAULT_SETTINGS.port),
  crashWord: DEFAULT_SETTINGS.crashWord,
  match: DEFAULT_SETTINGS.match,
  policy: DEFAULT_SETTINGS.policy,
  collection: DEFAULT_SETTINGS.collection,
};

function isStoredDraft(v: unknown): v is StoredDraft {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.host === 'string' &&
    typeof r.port === 'string' &&
    typeof r.crashWord === 'string' &&
    isMatchMode(r.match) &&
    isFailurePolicy(r.policy) &&
    (r.collection === undefined || isCollectionMode(r.collection))
  );
}

/** The fields as the user last left them on this origin, or the defaults. */
export function loadDraft(): SettingsDraft {
  const parsed = readStoredJson(STORAGE_KEY);
  if (!isStoredDraft(parsed)) return DEFAULT_DRAFT;
  return { ...parsed, collection: parsed.collection ?? DEFAULT_DRAFT.collection };
}

export function saveDraft(draft: SettingsDraft): void {
  writeStoredJson(STORAGE_KEY, draft);
}
