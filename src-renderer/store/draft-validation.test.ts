import { describe, expect, it } from 'vitest';
import { checkDraft } from './draft-validation';
import { DEFAULT_DRAFT } from './settings-draft';

describe('checkDraft', () => {
  it('turns valid fields into start arguments', () => {
    expect(checkDraft({ ...DEFAULT_DRAFT, port: ' 0 ' }).args).toEqual({
      host: '127.0.0.1',
      port: 0,
      crashWord: 'boom',
      match: 'line',
      policy: 'unhandled',
      collection: 'cpython',
    });
  });

  it('explains each invalid field', () => {
    const check = checkDraft({ ...DEFAULT_DRAFT, host: 'http://x', port: '70000', crashWord: '' });
    expect(check.args).toBeNull();
    expect(check.host).toMatch(/not a valid host/);
    expect(check.port).toMatch(/0 to 65535/);
    expect(check.crashWord).toMatch(/1 to 64/);
    expect(checkDraft({ ...DEFAULT_DRAFT, port: '80a' }).port).toMatch(/80a/);
  });
});
