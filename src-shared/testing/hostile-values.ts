import fc from 'fast-check';

/** Keys an `in` check or a spread finds on Object.prototype, or that change an object's prototype. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
];

/** Keys the contract reads, so that generated objects also hit real fields with wrong values. */
const CONTRACT_KEYS = [
  ...['type', 'id', 'name', 'args', 'ok', 'value', 'error', 'code', 'message', 'result', 'batch', 'events'],
  ...['host', 'port', 'policy', 'crashWord', 'match', 'recvSize', 'taskId', 'clientId', 'count', 'payload'],
  'appendNewline',
  'collection',
];

const KEY = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ...CONTRACT_KEYS), fc.string());

/** Nesting deeper than any recursive walk over the value would survive. */
export const DEEP_NESTING = 10_000;

/** `[[[…0…]]]`, `depth` levels deep, built without recursion. */
export function deepArray(depth = DEEP_NESTING): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** `{"a":{"a":…}}`, `depth` levels deep, built without recursion. */
export function deepObject(depth = DEEP_NESTING): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** A string of a million characters. */
export const HUGE_STRING = 'x'.repeat(1024 * 1024);

/** Values that break code which coerces before it checks: every one throws from `String()` or `${}`. */
export function uncoercibleValues(): unknown[] {
  return [
    { toString: 0 },
    { valueOf: 0, toString: 0 },
    { toString: () => ({}), valueOf: () => ({}) },
    {
      toString() {
        throw new Error('toString was called');
      },
    },
    { [Symbol.toPrimitive]: 0 },
    Object.create(null),
    Symbol('hostile'),
  ];
}

/**
 * Any value a hostile or buggy peer could hand a boundary: any JSON value, any JavaScript value (null
 * prototypes, boxed values, maps, big integers) with prototype and contract keys, and the special cases
 * above (uncoercible objects, nesting ten thousand deep, a megabyte of text).
 */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    hostileJsonValue(),
    fc.anything({
      key: KEY,
      withNullPrototype: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    }),
    fc.constantFrom(...uncoercibleValues(), deepArray(), deepObject(), HUGE_STRING),
  );
}

/** A JSON object with at least one prototype key, such as `{"toString": 0}`, which `String()` throws on. */
export function prototypeKeyedJson(): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 });
}

/** Any JSON value, or one of those objects. */
export function hostileJsonValue(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue(), prototypeKeyedJson());
}

/** JSON text a hostile peer could send: JSON with prototype and contract keys, or any string at all. */
export function hostileJsonText(): fc.Arbitrary<string> {
  const jsonWithKeys = fc.anything({
    key: KEY,
    values: [fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), prototypeKeyedJson()],
  });
  return fc.oneof(
    jsonWithKeys.map((value) => JSON.stringify(value) ?? 'null'),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary' }),
  );
}

/** Whether `message` is what a user can be shown: one line, short (a quoted value escapes to at most 6 characters each). */
export function isOneLine(message: unknown): boolean {
  return (
    typeof message === 'string' && message.length > 0 && message.length <= 500 && !/[\r\n]/.test(message)
  );
}
