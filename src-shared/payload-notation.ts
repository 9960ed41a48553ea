/**
 * The two ways bytes are typed into the built-in client and shown back: text (UTF-8 with `\xNN`, `\n`,
 * `\r`, `\t` and `\\` escapes) and hex (pairs of hex digits, spaces optional). One parser and one
 * formatter for both, so what a row shows always parses back to the bytes it stands for.
 */

/** The notations, in the order the client's switch offers them. */
export const PAYLOAD_NOTATIONS = ['text', 'hex'] as const;
export type PayloadNotation = (typeof PAYLOAD_NOTATIONS)[number];

/** Where typed input stops making sense: `index`/`length` in UTF-16 units of the input, and why. */
export interface NotationProblem {
  index: number;
  length: number;
  /** One line naming the character position (1-based, in characters as the user sees them). */
  message: string;
}

export type ParsedPayload = { ok: true; bytes: Uint8Array } | { ok: false; problem: NotationProblem };

/** Bytes that are never written literally in text notation, with the escape that stands for each. */
const NAMED_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x5c, '\\\\'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
]);
const ESCAPE_BYTES: Readonly<Record<string, number>> = { '\\': 0x5c, n: 0x0a, r: 0x0d, t: 0x09 };

/**
 * Characters shown as their bytes' `\xNN` rather than as themselves: controls, format and separator
 * characters (invisible or layout-changing), unassigned and private-use code points, spaces other than
 * the plain one, and U+FFFD itself (which would read as a decoding failure).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd]/u;

const hex2 = (byte: number): string => byte.toString(16).padStart(2, '0');

/** Bytes in `notation`; `parsePayload` of the result gives the same bytes back. */
export function formatPayload(bytes: Uint8Array, notation: PayloadNotation): string {
  return notation === 'hex' ? formatHex(bytes) : formatText(bytes);
}

/** Typed input in `notation` as bytes, or the first problem in it. */
export function parsePayload(input: string, notation: PayloadNotation): ParsedPayload {
  return notation === 'hex' ? parseHex(input) : parseText(input);
}

function formatHex(bytes: Uint8Array): string {
  const pairs: string[] = [];
  for (const byte of bytes) pairs.push(hex2(byte));
  return pairs.join(' ');
}

/** `sequenceLength` of a sequence whose first bytes are right but the input ends before its last. */
const CUT_SHORT = -1;

/**
 * The length of the well-formed UTF-8 sequence starting at `i` (Unicode's table 3-7: no overlongs, no
 * surrogates, nothing past U+10FFFF), 0 if none starts there, or CUT_SHORT.
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  let more: number;
  let low = 0x80;
  let high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) more = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    more = 2;
    if (b0 === 0xe0) low = 0xa0;
    if (b0 === 0xed) high = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    more = 3;
    if (b0 === 0xf0) low = 0x90;
    if (b0 === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k <= more; k++) {
    const b = bytes[i + k];
    if (b === undefined) return CUT_SHORT;
    if (b < (k === 1 ? low : 0x80) || b > (k === 1 ? high : 0xbf)) return 0;
  }
  return more + 1;
}

/**
 * Whether the bytes read as UTF-8 text: well-formed throughout, except perhaps a sequence cut short at
 * the end (a preview stops at a byte count, not at a character).
 */
function isUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length === CUT_SHORT) return true;
    if (length === 0) return false;
    i += length;
  }
  return true;
}

const utf8 = new TextDecoder('utf-8');
const MARK = /^\p{M}/u;

/**
 * Printable characters as themselves, the rest as escapes. Bytes that are not UTF-8 as a whole are
 * binary: then only printable ASCII is shown as itself (`de ad` is valid UTF-8, a Thaana mark, but in
 * `de ad be ef` it is two bytes of a binary payload). A combining mark is shown as itself only after a
 * character it can combine with.
 */
function formatText(bytes: Uint8Array): string {
  const text = isUtf8(bytes);
  let out = '';
  let afterChar = false;
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    const named = NAMED_ESCAPES.get(byte);
    const length = named === undefined ? sequenceLength(bytes, i) : 0;
    const char =
      length === 1
        ? String.fromCharCode(byte)
        : text && length > 1
          ? utf8.decode(bytes.subarray(i, i + length))
          : '';
    if (char !== '' && !INVISIBLE.test(char) && (afterChar || !MARK.test(char))) {
      out += char;
      afterChar = true;
      i += length;
      continue;
    }
    out += named ?? `\\x${hex2(byte)}`;
    afterChar = false;
    i++;
  }
  return out;
}

/** The 1-based character position of UTF-16 index `index` in `input`, counting a surrogate pair once. */
function column(input: string, index: number): number {
  return Array.from(input.slice(0, index)).length + 1;
}

function problem(input: string, index: number, length: number, what: string): ParsedPayload {
  return { ok: false, problem: { index, length, message: `Character ${column(input, index)}: ${what}` } };
}

const HEX_DIGIT = /^[0-9a-fA-F]$/;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
const WHITESPACE = /\s/;

function parseHex(input: string): ParsedPayload {
  const bytes: number[] = [];
  let i = 0;
  while (i < input.length) {
    if (WHITESPACE.test(input[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < input.length && !WHITESPACE.test(input[i]!)) {
      if (!HEX_DIGIT.test(input[i]!)) {
        const ch = String.fromCodePoint(input.codePointAt(i)!);
        return problem(input, i, ch.length, `${JSON.stringify(ch)} is not a hex digit (0-9, a-f)`);
      }
      i++;
    }
    if ((i - start) % 2 === 1) {
      const group = input.slice(start, i);
      return problem(
        input,
        start,
        i - start,
        `"${group}" has an odd number of hex digits (each byte is two)`,
      );
    }
    for (let k = start; k < i; k += 2) bytes.push(Number.parseInt(input.slice(k, k + 2), 16));
  }
  return { ok: true, bytes: Uint8Array.from(bytes) };
}

const encoder = new TextEncoder();

function parseText(input: string): ParsedPayload {
  const bytes: number[] = [];
  let literalFrom = 0;
  const flushLiteral = (to: number) => {
    if (to > literalFrom) for (const b of encoder.encode(input.slice(literalFrom, to))) bytes.push(b);
  };
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const paired = code <= 0xdbff && i + 1 < input.length && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!paired) {
        return problem(input, i, 1, `a lone surrogate (U+${code.toString(16).toUpperCase()}) is not text`);
      }
      i += 2;
      continue;
    }
    if (code !== 0x5c) {
      i++;
      continue;
    }
    flushLiteral(i);
    const next = input[i + 1];
    if (next === undefined) return problem(input, i, 1, 'a lone \\ at the end; write \\\\ for a backslash');
    if (next === 'x') {
      const digits = input.slice(i + 2, i + 4);
      if (!HEX_PAIR.test(digits)) {
        return problem(
          input,
          i,
          Math.min(4, input.length - i),
          '\\x needs two hex digits, as in \\x00 to \\xff',
        );
      }
      bytes.push(Number.parseInt(digits, 16));
      i += 4;
    } else if (Object.hasOwn(ESCAPE_BYTES, next)) {
      bytes.push(ESCAPE_BYTES[next]!);
      i += 2;
    } else {
      const shown = String.fromCodePoint(input.codePointAt(i + 1)!);
      return problem(
        input,
        i,
        1 + shown.length,
        `\\${shown} is not an escape; use \\xNN, \\n, \\r, \\t, or \\\\ for a backslash`,
      );
    }
    literalFrom = i;
  }
  flushLiteral(input.length);
  return { ok: true, bytes: Uint8Array.from(bytes) };
}
