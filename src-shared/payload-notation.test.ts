import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPayload, PAYLOAD_NOTATIONS, type ParsedPayload, parsePayload } from './payload-notation';

const bytesOf = (...values: number[]) => Uint8Array.from(values);

function parsedBytes(result: ParsedPayload): number[] {
  if (!result.ok) throw new Error(result.problem.message);
  return [...result.bytes];
}

describe('payload notation', () => {
  it.each(PAYLOAD_NOTATIONS)('parses what it formats, for any bytes (%s)', (notation) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(parsedBytes(parsePayload(formatPayload(bytes, notation), notation))).toEqual([...bytes]);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(PAYLOAD_NOTATIONS)('parses what it formats for any UTF-8 text (%s)', (notation) => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(parsedBytes(parsePayload(formatPayload(bytes, notation), notation))).toEqual([...bytes]);
      }),
    );
  });

  it('reads hex with or without spaces, in either case', () => {
    expect(parsedBytes(parsePayload('de ad be ef', 'hex'))).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(parsedBytes(parsePayload('DEADbeef', 'hex'))).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(parsedBytes(parsePayload('  dead  be\tef0a ', 'hex'))).toEqual([0xde, 0xad, 0xbe, 0xef, 0x0a]);
    expect(parsedBytes(parsePayload('', 'hex'))).toEqual([]);
    expect(formatPayload(bytesOf(0xde, 0xad, 0x0a), 'hex')).toBe('de ad 0a');
  });

  it('names the position of bad hex', () => {
    expect(parsePayload('de ad bx ef', 'hex')).toEqual({
      ok: false,
      problem: { index: 7, length: 1, message: 'Character 8: "x" is not a hex digit (0-9, a-f)' },
    });
    expect(parsePayload('de a be', 'hex')).toEqual({
      ok: false,
      problem: {
        index: 3,
        length: 1,
        message: 'Character 4: "a" has an odd number of hex digits (each byte is two)',
      },
    });
    expect(parsePayload('deadbee', 'hex')).toMatchObject({ ok: false, problem: { index: 0, length: 7 } });
  });

  it('reads text as UTF-8 with \\xNN, \\n, \\r, \\t and \\\\ escapes', () => {
    expect(parsedBytes(parsePayload('hi\\x00\\xFF\\n', 'text'))).toEqual([0x68, 0x69, 0x00, 0xff, 0x0a]);
    expect(parsedBytes(parsePayload('a\\\\b\\r\\t', 'text'))).toEqual([0x61, 0x5c, 0x62, 0x0d, 0x09]);
    expect(parsedBytes(parsePayload('é😀', 'text'))).toEqual([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('names the position of a bad escape, counting characters as the user sees them', () => {
    expect(parsePayload('ab\\q', 'text')).toEqual({
      ok: false,
      problem: {
        index: 2,
        length: 2,
        message: 'Character 3: \\q is not an escape; use \\xNN, \\n, \\r, \\t, or \\\\ for a backslash',
      },
    });
    expect(parsePayload('😀\\x4', 'text')).toEqual({
      ok: false,
      problem: {
        index: 2,
        length: 3,
        message: 'Character 2: \\x needs two hex digits, as in \\x00 to \\xff',
      },
    });
    expect(parsePayload('end\\', 'text')).toMatchObject({
      ok: false,
      problem: { index: 3, message: 'Character 4: a lone \\ at the end; write \\\\ for a backslash' },
    });
    expect(parsePayload('x\ud800y', 'text')).toMatchObject({ ok: false, problem: { index: 1, length: 1 } });
  });

  it('shows printable UTF-8 as itself and everything else as \\xNN', () => {
    expect(formatPayload(bytesOf(0xde, 0xad, 0xbe, 0xef, 0x0a), 'text')).toBe('\\xde\\xad\\xbe\\xef\\n');
    expect(formatPayload(new TextEncoder().encode('boom\r\n\u0001 \\ é'), 'text')).toBe(
      'boom\\r\\n\\x01 \\\\ é',
    );
    // C1 controls, invisible format characters and U+FFFD never appear as themselves.
    expect(formatPayload(new TextEncoder().encode('\u0085\u200b\ufffd'), 'text')).toBe(
      '\\xc2\\x85\\xe2\\x80\\x8b\\xef\\xbf\\xbd',
    );
    // An overlong encoding is not UTF-8; in bytes that are not UTF-8 as a whole, valid sequences are
    // bytes too (c3 a9 is é in text, two bytes in a binary payload).
    expect(formatPayload(bytesOf(0xc0, 0xaf, 0x41), 'text')).toBe('\\xc0\\xafA');
    expect(formatPayload(bytesOf(0xc3, 0xa9, 0xff), 'text')).toBe('\\xc3\\xa9\\xff');
    // A preview cut short inside a character is still text.
    expect(formatPayload(bytesOf(0xc3, 0xa9, 0xe2, 0x82), 'text')).toBe('é\\xe2\\x82');
    // de ad alone is valid UTF-8 (U+07AD, a combining mark): with nothing to combine with, it is bytes.
    expect(formatPayload(bytesOf(0xde, 0xad, 0x0a), 'text')).toBe('\\xde\\xad\\n');
    expect(formatPayload(new TextEncoder().encode('e\u0301'), 'text')).toBe('e\u0301');
  });
});
