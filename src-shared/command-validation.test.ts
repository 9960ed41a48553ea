import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLLECTION_MODE_IDS } from './collection-modes';
import { COMMAND_NAMES, checkCommand, checkPort, checkSettings } from './command-validation';
import { FAILURE_POLICIES } from './failure-policies';
import { DEFAULT_SETTINGS } from './settings-defaults';
import {
  DEEP_NESTING,
  deepArray,
  deepObject,
  HUGE_STRING,
  hostileValue,
  isOneLine,
  PROTOTYPE_KEYS,
  uncoercibleValues,
} from './testing/hostile-values';

/** Every outcome is a value or a one-line error with a string code; a throw fails the property. */
function expectOutcome(result: { ok: boolean; error?: { code: unknown; message: unknown } }): void {
  if (result.ok) return;
  expect(typeof result.error?.code).toBe('string');
  expect(isOneLine(result.error?.message)).toBe(true);
}

const NAME = fc.oneof(fc.constantFrom(...COMMAND_NAMES, ...PROTOTYPE_KEYS), hostileValue());

describe('checkSettings', () => {
  it.each(
    PROTOTYPE_KEYS,
  )('refuses the setting %s, which an `in` check would find on the prototype', (key) => {
    // JSON.parse makes `__proto__` an own key, as a WebSocket frame or a settings file would.
    const input = JSON.parse(`{"${key}": {"port": 1}, "port": 0}`);
    expect(checkSettings(input)).toEqual({
      ok: false,
      error: { code: 'invalid-args', message: `Unknown setting "${key}"` },
    });
    expect(checkCommand('start', input)).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
  });

  it('fills every omitted setting from the defaults', () => {
    expect(checkSettings(undefined)).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(checkSettings({ port: 0 })).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, port: 0 } });
  });

  it('says what was wrong, in one line', () => {
    expect(checkPort(-1)).toEqual({
      ok: false,
      error: { code: 'invalid-args', message: 'Port must be a whole number from 0 to 65535, got -1' },
    });
    expect(checkSettings({ port: { toString: 0 } })).toMatchObject({
      error: { message: 'Port must be a whole number from 0 to 65535, got an object' },
    });
    expect(checkSettings({ host: 'a b' })).toMatchObject({
      error: { message: 'Host "a b" is not a valid host name or IP address' },
    });
    expect(checkSettings({ policy: 'yolo' })).toMatchObject({
      error: { message: `Policy must be one of ${FAILURE_POLICIES.join(', ')}` },
    });
    expect(checkSettings({ crashWord: 'a\nb' })).toMatchObject({
      error: { message: 'Crash word cannot contain a line break' },
    });
    expect(checkSettings([])).toMatchObject({ error: { message: 'Settings must be an object' } });
    expect(checkSettings({ [HUGE_STRING]: 1 })).toMatchObject({
      error: { message: `Unknown setting "${'x'.repeat(40)}"…` },
    });
  });

  it('accepts every valid partial settings object and returns exactly it over the defaults', () => {
    const valid = fc.record(
      {
        host: fc.constantFrom('127.0.0.1', 'localhost', '::1', 'echo.example.com'),
        port: fc.integer({ min: 0, max: 65535 }),
        policy: fc.constantFrom('unhandled', 'retained', 'handled'),
        crashWord: fc.string({ minLength: 1, maxLength: 64 }).filter((w) => !/[\r\n]/.test(w)),
        match: fc.constantFrom('line', 'exact'),
        recvSize: fc.integer({ min: 1, max: 1024 * 1024 }),
        collection: fc.constantFrom(...COLLECTION_MODE_IDS),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(valid, (settings) => {
        expect(checkSettings(settings)).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, ...settings } });
      }),
    );
  });

  it('never throws on any value, and answers a bad one with a one-line error', () => {
    fc.assert(
      fc.property(hostileValue(), (input) => expectOutcome(checkSettings(input))),
      { numRuns: 1000 },
    );
  });

  it('never throws on settings objects whose fields are hostile', () => {
    const keys = fc.constantFrom(...Object.keys(DEFAULT_SETTINGS), ...PROTOTYPE_KEYS);
    fc.assert(
      fc.property(fc.dictionary(keys, hostileValue()), (input) => expectOutcome(checkSettings(input))),
      { numRuns: 1000 },
    );
  });
});

describe('checkCommand', () => {
  it.each([
    ['A command name must be a string, got an object', { toString: 0 }],
    ['Unknown command "x"', 'x'],
    ['Unknown command "toString"', 'toString'],
    ['Unknown command "__proto__"', '__proto__'],
    [`Unknown command "${'x'.repeat(40)}"…`, HUGE_STRING],
  ])('refuses a bad name, saying: %s', (message, name) => {
    expect(checkCommand(name, {})).toEqual({ ok: false, error: { code: 'unknown-command', message } });
  });

  it.each(
    uncoercibleValues().map((value, index) => [index, value]),
  )('refuses uncoercible value %i as any command’s argument field', (_index, bad) => {
    for (const name of COMMAND_NAMES) {
      // As the whole arguments, some are fine: `Object.create(null)` is an empty object.
      expectOutcome(checkCommand(name, bad));
      for (const args of [
        { port: bad, taskId: bad, clientId: bad, count: bad, text: bad },
        { clientId: 1, payload: bad, appendNewline: bad },
      ]) {
        const result = checkCommand(name, args);
        expect(result.ok).toBe(false);
        expectOutcome(result);
      }
    }
  });

  it(`survives nesting ${DEEP_NESTING} deep as the name, the arguments and a field`, () => {
    for (const deep of [deepArray(), deepObject()]) {
      expectOutcome(checkCommand(deep, {}));
      for (const name of COMMAND_NAMES) {
        expectOutcome(checkCommand(name, deep));
        expectOutcome(checkCommand(name, { port: deep, taskId: deep, count: deep }));
      }
    }
  });

  it('never throws on any name and arguments', () => {
    fc.assert(
      fc.property(NAME, hostileValue(), (name, args) => expectOutcome(checkCommand(name, args))),
      { numRuns: 2000 },
    );
  });
});
