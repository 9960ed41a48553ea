import { describe, expect, it } from 'vitest';
import { installMemoryLocalStorage } from '../testing/memory-storage';
import { DEFAULT_DRAFT, loadDraft, saveDraft } from './settings-draft';

const stored = installMemoryLocalStorage();

describe('the saved settings draft', () => {
  it('comes back as it was saved, collection mode included', () => {
    const draft = { ...DEFAULT_DRAFT, policy: 'retained' as const, collection: 'v8' as const };
    saveDraft(draft);
    expect(loadDraft()).toEqual(draft);
  });

  it('keeps a draft saved before the collection setting existed, with the default collection', () => {
    const { collection: _, ...old } = { ...DEFAULT_DRAFT, port: '9000', policy: 'handled' as const };
    stored.set('echoscope.settings', JSON.stringify(old));
    expect(loadDraft()).toEqual({ ...old, collection: 'cpython' });
  });

  it('falls back to the defaults for a collection mode it does not know', () => {
    stored.set('echoscope.settings', JSON.stringify({ ...DEFAULT_DRAFT, collection: 'toString' }));
    expect(loadDraft()).toEqual(DEFAULT_DRAFT);
  });
});
