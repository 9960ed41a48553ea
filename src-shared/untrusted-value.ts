/**
 * Looking at values that came from outside (a WebSocket frame, an IPC payload, a file) without ever
 * coercing them: `String(x)` or a template literal runs `x.toString()`, which a payload such as
 * `{"toString": 0}` turns into a TypeError. Everything here decides by `typeof` first.
 */

/** A plain JSON-style object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` names one of `table`'s own keys. Inherited names (`toString`, `__proto__`,
 * `constructor`) are not keys, so an id from outside can index a table of rows or schemas safely.
 */
export function isOwnKey<T extends object>(table: T, value: unknown): value is keyof T & string {
  return typeof value === 'string' && Object.hasOwn(table, value);
}

/** Longest text `describeValue` quotes from a string before cutting it short. */
export const DESCRIBED_TEXT_LIMIT = 40;

/**
 * Names an untrusted value for a one-line message ("got -1", "got \"abc\"", "got an object"). Never
 * throws and never calls into the value; strings are cut to `limit` characters and quoted with their
 * control characters escaped, so the result stays one short line.
 */
export function describeValue(value: unknown, limit = DESCRIBED_TEXT_LIMIT): string {
  switch (typeof value) {
    case 'string':
      return value.length > limit ? `${JSON.stringify(value.slice(0, limit))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${value}`;
    case 'undefined':
      return 'nothing';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}
