import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from './command-validation';
import { EVENT_SCHEMA_VERSION } from './events';
import {
  HUGE_STRING,
  hostileJsonText,
  hostileJsonValue,
  isOneLine,
  PROTOTYPE_KEYS,
} from './testing/hostile-values';
import {
  MAX_CLIENT_MESSAGE_BYTES,
  parseClientMessage,
  parseServerMessage,
  type WsServerMessage,
} from './ws-protocol';

const parseText = (text: string) => parseClientMessage(text, new TextEncoder().encode(text).length);

/** `[[[…]]]` (or `{"a":{"a":…}}`) as text, `depth` levels deep: deeper than a recursive parser survives. */
function deepText(depth: number, open = '[', close = ']'): string {
  return `${open.repeat(depth)}${close.repeat(depth)}`;
}

/** A command frame whose envelope fields are arbitrary JSON, prototype keys included. */
const commandFrame = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom('command', 'ack', ...PROTOTYPE_KEYS), hostileJsonValue()),
      id: fc.oneof(fc.nat(), hostileJsonValue()),
      name: fc.oneof(fc.constantFrom(...COMMAND_NAMES, ...PROTOTYPE_KEYS), hostileJsonValue()),
      args: hostileJsonValue(),
    },
    { requiredKeys: [] },
  )
  .map((frame) => JSON.stringify(frame));

describe('parseClientMessage', () => {
  it.each([
    ['{"type":{"toString":0}}', 'A message needs a "type" (a string), got an object'],
    ['{"type":"hello","id":7}', 'Unknown message type "hello"'],
    ['{"type":"__proto__"}', 'Unknown message type "__proto__"'],
    ['{"id":1}', 'A message needs a "type" (a string), got nothing'],
    [
      '{"type":"command","id":{"toString":0},"name":"start"}',
      'A command needs an "id" (a non-negative whole number)',
    ],
  ])('answers %s with: %s', (text, message) => {
    expect(parseText(text)).toMatchObject({ ok: false, reply: { type: 'error', error: { message } } });
  });

  it('passes a command envelope on with its name and arguments still unchecked', () => {
    expect(parseText('{"type":"command","id":3,"name":{"toString":0},"args":{"__proto__":1}}')).toEqual({
      ok: true,
      message: { type: 'command', id: 3, name: { toString: 0 }, args: JSON.parse('{"__proto__":1}') },
    });
  });

  it('survives nesting as deep as the size limit allows, in the envelope and in the arguments', () => {
    const arrays = deepText(MAX_CLIENT_MESSAGE_BYTES / 2);
    expect(parseText(arrays)).toMatchObject({ ok: false, reply: { error: { code: 'invalid-message' } } });
    const prefix = '{"type":"command","id":1,"name":"start","args":';
    const depth = Math.floor((MAX_CLIENT_MESSAGE_BYTES - prefix.length - 2) / 6);
    const parsed = parseText(`${prefix}${deepText(depth, '{"a":', '}').replace('{"a":}', '{}')}}`);
    expect(parsed).toMatchObject({ ok: true, message: { type: 'command', id: 1, name: 'start' } });
  });

  it('refuses a megabyte of text before parsing it', () => {
    expect(parseText(JSON.stringify({ type: 'command', id: 1, name: HUGE_STRING }))).toMatchObject({
      ok: false,
      reply: { error: { code: 'message-too-large' } },
    });
  });

  it('never throws on any text: a command envelope or a one-line error reply', () => {
    fc.assert(
      fc.property(fc.oneof(commandFrame, hostileJsonText()), (text) => {
        const parsed = parseText(text);
        if (parsed.ok) {
          if (parsed.message.type === 'command') expect(Number.isSafeInteger(parsed.message.id)).toBe(true);
          return;
        }
        expect(parsed.reply.type).toBe('error');
        expect(typeof parsed.reply.error.code).toBe('string');
        expect(isOneLine(parsed.reply.error.message)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseServerMessage', () => {
  const batch = {
    v: EVENT_SCHEMA_VERSION,
    events: [{ kind: 'listening', seq: 1 }],
    dropped: 0,
    counters: {},
    lastSeq: 1,
  };

  it('reads every well-formed host message', () => {
    const messages = [
      { type: 'result', id: 1, result: { ok: true, value: { phase: 'idle' } } },
      { type: 'result', id: 2, result: { ok: false, error: { code: 'x', message: 'm' } } },
      { type: 'error', error: { code: 'invalid-json', message: 'Message is not valid JSON' } },
      { type: 'error', id: 3, error: { code: 'busy', message: 'm' } },
      { type: 'batch', batch },
      { type: 'batch', batch: { ...batch, addedLater: true } },
    ];
    for (const message of messages) expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    { type: 'result', id: 1, result: { ok: false, error: { code: 'x', message: { toString: 0 } } } },
    { type: 'result', id: 1, result: { ok: 'yes', value: 1 } },
    { type: 'result', id: -1, result: { ok: true, value: 1 } },
    { type: 'error', error: { message: 'no code' } },
    { type: 'batch', batch: { ...batch, events: [{ toString: 0 }] } },
    { type: 'batch', batch: { ...batch, counters: null } },
    { type: { toString: 0 } },
  ])('ignores a malformed host message (%#)', (message) => {
    expect(parseServerMessage(JSON.stringify(message))).toBeNull();
  });

  it('never throws on any text, and what it returns has the fields the page reads', () => {
    // Near misses of each reply: the right `type`, fields of any JSON value, errors with hostile fields.
    const error = fc.oneof(
      hostileJsonValue(),
      fc.record({ code: hostileJsonValue(), message: hostileJsonValue() }, { requiredKeys: [] }),
    );
    const result = fc.record(
      { ok: fc.oneof(fc.boolean(), hostileJsonValue()), value: hostileJsonValue(), error },
      { requiredKeys: [] },
    );
    const reply = fc.record(
      {
        type: fc.constantFrom('result', 'error', 'batch'),
        id: fc.oneof(fc.nat(), hostileJsonValue()),
        result,
        error,
        batch: hostileJsonValue(),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          reply.map((r) => JSON.stringify(r)),
          hostileJsonText(),
        ),
        (text) => {
          const message: WsServerMessage | null = parseServerMessage(text);
          if (message === null || message.type === 'batch' || message.type === 'open-recording') return;
          const error =
            message.type === 'error' ? message.error : message.result.ok ? null : message.result.error;
          if (error) expect([typeof error.code, typeof error.message]).toEqual(['string', 'string']);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('ignores text nested a million deep', () => {
    expect(parseServerMessage(deepText(1_000_000))).toBeNull();
  });
});
