import * as v from 'valibot';
import { base64ByteLength } from './base64';
import { COLLECTION_MODE_IDS } from './collection-modes';
import type { CommandArgs, CommandError, CommandName } from './commands';
import type { ServerSettings } from './events';
import { FAILURE_POLICIES } from './failure-policies';
import { loadBudget } from './load/load-contract';
import { type LoadRequest, loadRequestEntries } from './load/load-request';
import { MATCH_MODE_IDS } from './match-modes';
import { RECORDING_FILE_PATTERN } from './recording/recording-control';
import { DEFAULT_SETTINGS } from './settings-defaults';
import { describeValue, isOwnKey, isRecord } from './untrusted-value';

/** Validation outcome: the typed value, or a one-line reason. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** Most bytes one `sendClient` may carry (before its optional newline). */
export const MAX_CLIENT_PAYLOAD = 64 * 1024;
/** Most built-in clients one `openClients` may open. */
export const MAX_CLIENTS_PER_OPEN = 1000;
/** Largest `recv` a run may ask for. */
export const MAX_RECV_SIZE = 1024 * 1024;

/** Hostnames and IPv4/IPv6 literals; rejects whitespace, URLs and anything absurdly long. */
const HOST_PATTERN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$/;

/** A whole number within [min, max], every failure described by one message. */
function wholeNumber(min: number, max: number, message: v.ErrorMessage<v.BaseIssue<unknown>>) {
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

const HOST_SCHEMA = v.pipe(
  v.string('Host must be a non-empty string'),
  v.minLength(1, 'Host must be a non-empty string'),
  v.maxLength(
    253,
    (issue) => `Host ${describeValue(issue.input, 60)} is not a valid host name or IP address`,
  ),
  v.regex(
    HOST_PATTERN,
    (issue) => `Host ${describeValue(issue.input, 60)} is not a valid host name or IP address`,
  ),
);

const PORT_SCHEMA = wholeNumber(
  0,
  65535,
  (issue) => `Port must be a whole number from 0 to 65535, got ${describeValue(issue.input)}`,
);

const CRASH_WORD_SCHEMA = v.pipe(
  v.string('Crash word must be 1 to 64 characters'),
  v.minLength(1, 'Crash word must be 1 to 64 characters'),
  v.maxLength(64, 'Crash word must be 1 to 64 characters'),
  v.check((word) => !/[\r\n]/.test(word), 'Crash word cannot contain a line break'),
);

/** Each setting's check; an omitted one takes its default. Typed so that it matches the contract exactly. */
const SETTINGS_ENTRIES = {
  host: v.optional(HOST_SCHEMA, DEFAULT_SETTINGS.host),
  port: v.optional(PORT_SCHEMA, DEFAULT_SETTINGS.port),
  policy: v.optional(
    v.picklist(FAILURE_POLICIES, `Policy must be one of ${FAILURE_POLICIES.join(', ')}`),
    DEFAULT_SETTINGS.policy,
  ),
  crashWord: v.optional(CRASH_WORD_SCHEMA, DEFAULT_SETTINGS.crashWord),
  match: v.optional(
    v.picklist(MATCH_MODE_IDS, `Match mode must be one of ${MATCH_MODE_IDS.join(', ')}`),
    DEFAULT_SETTINGS.match,
  ),
  recvSize: v.optional(
    wholeNumber(1, MAX_RECV_SIZE, `recv size must be a whole number from 1 to ${MAX_RECV_SIZE}`),
    DEFAULT_SETTINGS.recvSize,
  ),
  collection: v.optional(
    v.picklist(COLLECTION_MODE_IDS, `Collection must be one of ${COLLECTION_MODE_IDS.join(', ')}`),
    DEFAULT_SETTINGS.collection,
  ),
} satisfies { [K in keyof ServerSettings]-?: v.GenericSchema<unknown, ServerSettings[K]> };

/**
 * A partial settings object. Unknown keys are refused by own-key lookup, so `__proto__`, `toString` and
 * `constructor` are unknown settings like any other (an `in` check would find them on the prototype).
 */
const SETTINGS_SCHEMA = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, 'Settings must be an object'),
  // Past the record check, the only issue left to the object itself is an unknown key (its `input`).
  v.strictObject(SETTINGS_ENTRIES, (issue) => `Unknown setting ${describeValue(issue.input)}`),
);

/** `undefined`, `null` or `{}`: what a command without arguments accepts. */
const NO_ARGS_SCHEMA = v.pipe(
  v.nullish(
    v.pipe(
      v.custom<Record<string, unknown>>(isRecord, 'This command takes no arguments'),
      v.strictObject({}, 'This command takes no arguments'),
    ),
  ),
  v.transform((): Record<string, never> => ({})),
);

/** An object of exactly these named arguments. */
function argsObject<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isRecord, 'Arguments must be an object'),
    // Past the record check, the object's own issues are keys: an unknown one (its `input`, by own-key
    // lookup as for settings) or a missing one (quoted in `expected`).
    v.strictObject(entries, (issue) =>
      issue.expected === 'never'
        ? `Unknown argument ${describeValue(issue.input)}`
        : `Missing argument ${issue.expected}`,
    ),
  );
}

const PAYLOAD_MESSAGE = `payload must be base64 of at most ${MAX_CLIENT_PAYLOAD} bytes`;

function positiveId(key: string) {
  return wholeNumber(1, Number.MAX_SAFE_INTEGER, `${key} must be a positive whole number`);
}

/**
 * One schema per command of the contract: the `satisfies` demands every command, and no other, and keeps
 * each schema's output assignable to its args. The command names derive from it.
 */
const ARG_SCHEMAS = {
  start: v.nullish(SETTINGS_SCHEMA, {}),
  stop: NO_ARGS_SCHEMA,
  snapshot: NO_ARGS_SCHEMA,
  collectGarbage: NO_ARGS_SCHEMA,
  cancelTask: argsObject({ taskId: positiveId('taskId') }),
  closeConnection: argsObject({ taskId: positiveId('taskId') }),
  closeClient: argsObject({ clientId: positiveId('clientId') }),
  sendCrashWord: argsObject({ clientId: positiveId('clientId') }),
  openClients: argsObject({
    count: wholeNumber(
      1,
      MAX_CLIENTS_PER_OPEN,
      `count must be a whole number from 1 to ${MAX_CLIENTS_PER_OPEN}`,
    ),
  }),
  sendClient: argsObject({
    clientId: positiveId('clientId'),
    payload: v.pipe(
      v.string(PAYLOAD_MESSAGE),
      v.maxLength(4 * Math.ceil(MAX_CLIENT_PAYLOAD / 3), PAYLOAD_MESSAGE),
      v.base64(PAYLOAD_MESSAGE),
      v.check((b64) => base64ByteLength(b64) <= MAX_CLIENT_PAYLOAD, PAYLOAD_MESSAGE),
    ),
    appendNewline: v.boolean('appendNewline must be true or false'),
  }),
  // Lazy: the load contract imports this module's host and crash-word checks, so its request schema
  // is looked up when a command is checked, not while the two modules are still loading.
  startLoad: v.lazy(() => v.pipe(argsObject(loadRequestEntries()), loadBudget<LoadRequest>())),
  stopLoad: NO_ARGS_SCHEMA,
  loadStatus: NO_ARGS_SCHEMA,
  startRecording: NO_ARGS_SCHEMA,
  stopRecording: NO_ARGS_SCHEMA,
  attach: NO_ARGS_SCHEMA,
  recordingStatus: NO_ARGS_SCHEMA,
  readRecording: argsObject({
    file: v.pipe(
      v.string('file must be the name of a recording'),
      v.regex(RECORDING_FILE_PATTERN, 'file must be the name of a recording (echoscope-….ndjson)'),
    ),
    offset: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'offset must be a whole number of bytes'),
  }),
} satisfies { [K in CommandName]: v.GenericSchema<unknown, CommandArgs<K>> };

/** Every command name, from the schema record above (so none can be left out). */
export const COMMAND_NAMES = Object.keys(ARG_SCHEMAS) as CommandName[];

/** Runs one schema; the first problem becomes the one-line `invalid-args` error. */
function checkWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Checked<T> {
  const result = v.safeParse(schema, input, { abortEarly: true, abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: { code: 'invalid-args', message: result.issues[0].message } };
}

export function checkHost(host: unknown): Checked<string> {
  return checkWith(HOST_SCHEMA, host);
}

export function checkPort(port: unknown): Checked<number> {
  return checkWith(PORT_SCHEMA, port);
}

export function checkCrashWord(word: unknown): Checked<string> {
  return checkWith(CRASH_WORD_SCHEMA, word);
}

/** Fills defaults and checks every field of a (possibly partial, possibly hostile) settings object. */
export function checkSettings(input: unknown): Checked<ServerSettings> {
  return checkWith(v.optional(SETTINGS_SCHEMA, {}), input);
}

export function isCommandName(name: unknown): name is CommandName {
  return isOwnKey(ARG_SCHEMAS, name);
}

/** A command whose name and arguments passed their checks. */
export type CheckedCommand = { [K in CommandName]: { name: K; args: CommandArgs<K> } }[CommandName];

/** Validates one command at a boundary (IPC, WebSocket): its name and its arguments. Never throws. */
export function checkCommand(name: unknown, args: unknown): Checked<CheckedCommand> {
  if (!isCommandName(name)) {
    const message =
      typeof name === 'string'
        ? `Unknown command ${describeValue(name)}`
        : `A command name must be a string, got ${describeValue(name)}`;
    return { ok: false, error: { code: 'unknown-command', message } };
  }
  const checked = checkWith<CommandArgs<typeof name>>(ARG_SCHEMAS[name], args);
  return checked.ok ? { ok: true, value: { name, args: checked.value } as CheckedCommand } : checked;
}
