import { describe, expect, it } from 'vitest';
import { parseStrictOptions, UsageError } from './strict-options';

const SPEC = { port: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('parseStrictOptions', () => {
  it('takes a negative number as the value of a string option, so its range check can speak', () => {
    expect(parseStrictOptions(['--port', '-1'], SPEC)).toMatchObject({ port: '-1' });
    expect(parseStrictOptions(['--port', '-70000', '--json'], SPEC)).toMatchObject({
      port: '-70000',
      json: true,
    });
  });

  it('still refuses a flag where a value belongs, unknown options and positionals', () => {
    expect(() => parseStrictOptions(['--port', '--json'], SPEC)).toThrow(UsageError);
    expect(() => parseStrictOptions(['--json', '-1'], SPEC)).toThrow(/Unknown option '-1'/);
    expect(() => parseStrictOptions(['--port', '-x'], SPEC)).toThrow(/ambiguous/);
    expect(() => parseStrictOptions(['8000'], SPEC)).toThrow(UsageError);
  });
});
