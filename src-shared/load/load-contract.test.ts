import { describe, expect, it } from 'vitest';
import { checkLoadOptions, LOAD_DEFAULTS, MAX_LOAD_CONNECTIONS, MAX_LOAD_MESSAGES } from './load-contract';

function error(input: Parameters<typeof checkLoadOptions>[0]): string {
  const checked = checkLoadOptions(input);
  if (checked.ok) throw new Error('expected a refusal');
  return checked.error.message;
}

describe('checkLoadOptions', () => {
  it('fills the defaults, with a ramp of at most a quarter of the duration', () => {
    expect(checkLoadOptions({})).toEqual({
      ok: true,
      value: { host: '127.0.0.1', port: 8000, ...LOAD_DEFAULTS },
    });
    const short = checkLoadOptions({ durationS: 2 });
    expect(short.ok && short.value.rampS).toBe(0.5);
  });

  it('bounds every dimension, each refusal one line naming the option', () => {
    expect(error({ connections: MAX_LOAD_CONNECTIONS + 1 })).toBe(
      `connections must be a whole number from 1 to ${MAX_LOAD_CONNECTIONS}`,
    );
    expect(error({ connections: 0 })).toMatch(/^connections must be/);
    expect(error({ rate: -1 })).toBe('rate must be a number from 0 to 1000');
    expect(error({ size: 0 })).toMatch(/^size must be/);
    expect(error({ durationS: 601 })).toBe('duration must be a number from 0.1 to 600');
    expect(error({ crashFraction: 1.5 })).toBe('crash fraction must be a number from 0 to 1');
    expect(error({ port: 0 })).toMatch(/^port must be/);
    expect(error({ host: 'not a host' })).toMatch(/^host is not a valid/);
    expect(error({ crashWord: 'two\nlines' })).toMatch(/^crash word/);
    expect(error({ rampS: 5, durationS: 2 })).toBe('ramp must not be longer than the duration');
    expect(error({ connections: 20_000, rate: 1000, durationS: 600 })).toBe(
      `connections × rate × duration must be at most ${MAX_LOAD_MESSAGES} messages`,
    );
  });

  it('refuses unknown options and values of the wrong type without coercing them', () => {
    expect(error({ bogus: 1 } as never)).toBe('unknown load option "bogus"');
    expect(error({ connections: '10' })).toMatch(/^connections must be/);
    expect(error({ rate: { valueOf: () => 5 } })).toMatch(/^rate must be/);
  });
});
