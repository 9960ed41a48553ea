import { describe, expect, it } from 'vitest';
import { installMemoryLocalStorage } from '../testing/memory-storage';
import { defaultLoadDraft, loadLoadDraft, saveLoadDraft } from './load-draft-storage';

const stored = installMemoryLocalStorage();

describe('the saved Load form', () => {
  it("starts at the CLI's defaults and comes back as it was saved", () => {
    expect(loadLoadDraft()).toEqual({
      connections: '100',
      rate: '10',
      size: '64',
      durationS: '10',
      crashFraction: '0',
    });
    const draft = { ...defaultLoadDraft(), connections: '1000', crashFraction: '0.05' };
    saveLoadDraft(draft);
    expect(loadLoadDraft()).toEqual(draft);
  });

  it('takes the default for each stored field that is missing, not text, too long or inherited', () => {
    stored.set(
      'echoscope.load',
      JSON.stringify({
        connections: 5,
        rate: '20',
        size: 'x'.repeat(33),
        bogus: '1',
        ['__proto__']: { durationS: '9' },
      }),
    );
    expect(loadLoadDraft()).toEqual({ ...defaultLoadDraft(), rate: '20' });
    stored.set('echoscope.load', '{not json');
    expect(loadLoadDraft()).toEqual(defaultLoadDraft());
    stored.set('echoscope.load', '"text"');
    expect(loadLoadDraft()).toEqual(defaultLoadDraft());
  });
});
