import { describe, expect, it } from 'vitest';
import { checkSettings } from './command-validation';
import { isMatchMode, MATCH_MODE_IDS, MATCH_MODES } from './match-modes';
import { DEFAULT_SETTINGS } from './settings-defaults';
import { PROTOTYPE_KEYS } from './testing/hostile-values';

describe('the match mode table', () => {
  it.each(MATCH_MODE_IDS)('%s is a mode every boundary accepts, with a one-line rule', (mode) => {
    expect(isMatchMode(mode)).toBe(true);
    expect(checkSettings({ match: mode })).toMatchObject({ ok: true, value: { match: mode } });
    expect(MATCH_MODES[mode].rule).not.toMatch(/\n/);
  });

  it('defaults to its first mode, line', () => {
    expect(MATCH_MODE_IDS[0]).toBe(DEFAULT_SETTINGS.match);
    expect(checkSettings({})).toMatchObject({ ok: true, value: { match: 'line' } });
  });

  it.each([...PROTOTYPE_KEYS, 'regex', '', 1, null])('refuses %j as a match mode', (value) => {
    expect(isMatchMode(value)).toBe(false);
    expect(checkSettings({ match: value })).toEqual({
      ok: false,
      error: { code: 'invalid-args', message: 'Match mode must be one of line, exact' },
    });
  });
});
