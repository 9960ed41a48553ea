/**
 * The WebSocket contract between the browser host (`echoscope web`) and the renderer's WebSocket
 * transport: the same typed commands and event batches as Electron IPC, framed as JSON text messages.
 */
import * as v from 'valibot';
import type { CommandArgs, CommandError, CommandName, CommandResult } from './commands';
import { type Counters, type EngineEvent, EVENT_SCHEMA_VERSION, type EventBatch } from './events';
import { describeValue, isOwnKey, isRecord } from './untrusted-value';

/** The one WebSocket path of the browser host. */
export const WS_PATH = '/ws';

/** The query parameter carrying the per-run token, on the page URL and on the WebSocket URL alike. */
export const TOKEN_PARAM = 'token';

/**
 * Largest client message the host will parse (bytes of UTF-8). Every valid command fits well within it
 * (the longest, `sendClient`, is 64 KiB as base64: about 87 Ki characters); anything larger gets an error reply.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 512 * 1024;

/** client → server: run one command; the host answers with a `result` (or `error`) carrying the same `id`. */
export interface WsCommandMessage<K extends CommandName = CommandName> {
  type: 'command';
  /** Chosen by the client, unique among its pending requests, so replies can arrive in any order. */
  id: number;
  name: K;
  args: CommandArgs<K>;
}

/**
 * client → server: one event batch was applied. The host keeps at most a few batches unacknowledged
 * (flow control); a page that stops acknowledging gets counted drops instead of a growing queue.
 */
export interface WsAckMessage {
  type: 'ack';
}

/** The acknowledgement as sent: it carries nothing, so it is one constant text. */
export const ACK_MESSAGE_TEXT = JSON.stringify({ type: 'ack' } satisfies WsAckMessage);

/** Every message a client may send. */
export type WsClientMessage = WsCommandMessage | WsAckMessage;

/**
 * A command envelope as the host has checked it: the framing is sound, but `name` and `args` are still
 * untrusted (the host's command dispatcher validates them and answers bad ones with an error result).
 */
export interface WsIncomingCommand {
  type: 'command';
  id: number;
  name: unknown;
  args: unknown;
}

/** server → client: the outcome of the command with this `id`. */
export interface WsResultMessage {
  type: 'result';
  id: number;
  result: CommandResult<unknown>;
}

/** server → client: one event batch (at most about 60 a second; `dropped` counts what was left out). */
export interface WsBatchMessage {
  type: 'batch';
  batch: EventBatch;
}

/**
 * server → client: a message that could not be understood (not JSON, too large, unknown `type`, bad
 * envelope). Carries the request's `id` when one could be read, so its caller is not left waiting.
 */
export interface WsErrorMessage {
  type: 'error';
  id?: number;
  error: CommandError;
}

/**
 * server → client, from the desktop app only: File → Open read a recording (or could not); the page
 * shows it as a replay, or the error, exactly as for a file it opened itself.
 */
export interface WsOpenRecordingMessage {
  type: 'open-recording';
  /** The file's name, for the replay bar and messages. */
  file: string;
  /** The file's text, unchecked (the page's recording reader checks it line by line); null on an error. */
  text: string | null;
  /** Why it could not be read (too large, unreadable); null when `text` is there. */
  error: string | null;
}

/** Every message the host may send. */
export type WsServerMessage = WsResultMessage | WsBatchMessage | WsErrorMessage | WsOpenRecordingMessage;

/** A checked client message, or the error reply to send instead. */
export type ParsedClientMessage =
  | { ok: true; message: WsIncomingCommand | WsAckMessage }
  | { ok: false; reply: WsErrorMessage };

/** A request id: a non-negative whole number the client chose. */
const REQUEST_ID_SCHEMA = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

function reject(code: string, message: string, id?: number): ParsedClientMessage {
  const reply: WsErrorMessage = { type: 'error', error: { code, message } };
  if (id !== undefined) reply.id = id;
  return { ok: false, reply };
}

/**
 * Checks one untrusted client text message: its size (`byteLength`, as received), that it is JSON, and
 * that it is a command envelope. Pure; never throws, and never coerces a field it has not type-checked.
 */
export function parseClientMessage(text: string, byteLength: number): ParsedClientMessage {
  if (byteLength > MAX_CLIENT_MESSAGE_BYTES || text.length > MAX_CLIENT_MESSAGE_BYTES) {
    return reject('message-too-large', `Messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON, or (in a parser that recurses) nested too deeply to parse: either way, not a message.
    return reject('invalid-json', 'Message is not valid JSON');
  }
  if (!isRecord(value)) return reject('invalid-message', 'Message must be a JSON object');
  if (value.type === 'ack') return { ok: true, message: { type: 'ack' } };
  const id = v.is(REQUEST_ID_SCHEMA, value.id) ? value.id : undefined;
  if (value.type !== 'command') {
    const message =
      typeof value.type === 'string'
        ? `Unknown message type ${describeValue(value.type)}`
        : `A message needs a "type" (a string), got ${describeValue(value.type)}`;
    return reject('invalid-message', message, id);
  }
  if (id === undefined)
    return reject('invalid-message', 'A command needs an "id" (a non-negative whole number)');
  return { ok: true, message: { type: 'command', id, name: value.name, args: value.args } };
}

const COMMAND_ERROR_SCHEMA = v.object({ code: v.string(), message: v.string() });

/**
 * Each host message, checked as far as the page relies on it before a listener takes over: replies are
 * complete (an error's message is a string), a batch has its counters and a list of events that each
 * have a `kind`. Events are not copied field by field (batch listeners guard their own work), and a
 * batch keeps any field added to it later. Keyed by `type`, so a new kind of message must be added here.
 */
const SERVER_MESSAGE_SCHEMAS: {
  [K in WsServerMessage['type']]: v.GenericSchema<unknown, Extract<WsServerMessage, { type: K }>>;
} = {
  result: v.object({
    type: v.literal('result'),
    id: REQUEST_ID_SCHEMA,
    result: v.variant('ok', [
      v.object({ ok: v.literal(true), value: v.unknown() }),
      v.object({ ok: v.literal(false), error: COMMAND_ERROR_SCHEMA }),
    ]),
  }),
  batch: v.object({
    type: v.literal('batch'),
    batch: v.looseObject({
      v: v.literal(EVENT_SCHEMA_VERSION),
      events: v.array(v.custom<EngineEvent>((e) => isRecord(e) && typeof e.kind === 'string')),
      dropped: v.number(),
      counters: v.custom<Counters>(isRecord),
      lastSeq: v.number(),
    }),
  }),
  error: v.object({
    type: v.literal('error'),
    id: v.optional(REQUEST_ID_SCHEMA),
    error: COMMAND_ERROR_SCHEMA,
  }),
  'open-recording': v.object({
    type: v.literal('open-recording'),
    file: v.pipe(v.string(), v.maxLength(4096)),
    text: v.nullable(v.string()),
    error: v.nullable(v.pipe(v.string(), v.maxLength(4096))),
  }),
};

function isServerMessageType(type: unknown): type is WsServerMessage['type'] {
  return isOwnKey(SERVER_MESSAGE_SCHEMAS, type);
}

/** Reads one host message on the client side; null for anything that is not one (ignored by the transport). */
export function parseServerMessage(text: string): WsServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON, or (in a parser that recurses) nested too deeply to parse.
    return null;
  }
  if (!isRecord(value) || !isServerMessageType(value.type)) return null;
  const result = v.safeParse(SERVER_MESSAGE_SCHEMAS[value.type], value, { abortEarly: true });
  return result.success ? result.output : null;
}
