import { describe, expect, it } from 'vitest';
import { COLLECTION_MODE_IDS, COLLECTION_MODES, isCollectionMode } from './collection-modes';
import { checkSettings } from './command-validation';
import { DEFAULT_SETTINGS } from './settings-defaults';
import { PROTOTYPE_KEYS } from './testing/hostile-values';

describe('the collection mode table', () => {
  it.each(COLLECTION_MODE_IDS)('%s is a mode every boundary accepts, with a one-line lesson', (mode) => {
    expect(isCollectionMode(mode)).toBe(true);
    expect(checkSettings({ collection: mode })).toMatchObject({ ok: true, value: { collection: mode } });
    expect(COLLECTION_MODES[mode].lesson).not.toMatch(/\n/);
  });

  it('defaults to collecting like CPython, as the article shows it', () => {
    expect(DEFAULT_SETTINGS.collection).toBe('cpython');
    expect(COLLECTION_MODE_IDS[0]).toBe('cpython');
    expect(checkSettings({})).toMatchObject({ ok: true, value: { collection: 'cpython' } });
  });

  it.each([...PROTOTYPE_KEYS, 'java', '', 1, null])('refuses %j as a collection mode', (value) => {
    expect(isCollectionMode(value)).toBe(false);
    expect(checkSettings({ collection: value })).toEqual({
      ok: false,
      error: { code: 'invalid-args', message: 'Collection must be one of cpython, v8' },
    });
  });
});
