import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HUGE_STRING,
  hostileValue,
  isOneLine,
  PROTOTYPE_KEYS,
  uncoercibleValues,
} from './testing/hostile-values';
import { DESCRIBED_TEXT_LIMIT, describeValue, isOwnKey, isRecord } from './untrusted-value';

describe('describeValue', () => {
  it.each([
    [-1, '-1'],
    [0.5, '0.5'],
    [true, 'true'],
    [10n, '10'],
    ['boom', '"boom"'],
    ['two\nlines', '"two\\nlines"'],
    [undefined, 'nothing'],
    [null, 'null'],
    [[1], 'an array'],
    [{ port: 1 }, 'an object'],
    [Symbol('s'), 'a symbol'],
    [() => 1, 'a function'],
  ])('names %o as %s', (value, described) => {
    expect(describeValue(value)).toBe(described);
  });

  it('names values that throw when coerced, without coercing them', () => {
    expect(uncoercibleValues().map((value) => describeValue(value))).toEqual([
      'an object',
      'an object',
      'an object',
      'an object',
      'an object',
      'an object',
      'a symbol',
    ]);
  });

  it('cuts a huge string to a short quoted prefix', () => {
    expect(describeValue(HUGE_STRING)).toBe(`"${'x'.repeat(DESCRIBED_TEXT_LIMIT)}"…`);
    expect(describeValue(HUGE_STRING, 5)).toBe('"xxxxx"…');
  });

  it('never throws and always gives one short line, whatever the value', () => {
    fc.assert(
      fc.property(hostileValue(), (value) => {
        expect(isOneLine(describeValue(value))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isRecord', () => {
  it('accepts objects, refuses arrays, null and primitives', () => {
    expect([{}, Object.create(null), { toString: 0 }].every(isRecord)).toBe(true);
    expect([[], null, undefined, 'x', 1, Symbol('s')].some(isRecord)).toBe(false);
  });
});

describe('isOwnKey', () => {
  const TABLE = { line: 1, exact: 2 };

  it("accepts the table's own keys", () => {
    expect(isOwnKey(TABLE, 'line')).toBe(true);
    expect(isOwnKey(TABLE, 'exact')).toBe(true);
  });

  it.each([
    ...PROTOTYPE_KEYS,
    '',
    'LINE',
    1,
    null,
    undefined,
    { toString: () => 'line' },
  ])('refuses %j, inherited names and non-strings included', (value) => {
    expect(isOwnKey(TABLE, value)).toBe(false);
  });
});
