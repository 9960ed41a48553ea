/**
 * The probe protocol (probe/PROTOCOL.md, version 1): NDJSON lines between a Python process running the
 * probe and the host it attaches to. Everything a probe sends is `unknown` until a schema here passed:
 * a bad line is named in one line and left out; nothing a probe sends can throw out of these checks.
 */
import * as v from 'valibot';
import type { AttachedProcess, TaskEvent } from './events';
import { ATTACHED_PROCESS_SCHEMA, checkEvent, describeIssue } from './recording/event-schemas';
import { describeValue, isOwnKey, isRecord } from './untrusted-value';

/** The protocol version this host speaks. */
export const PROBE_PROTOCOL = 1;

/** Longest line either side may send, in bytes (newline excluded); a longer one ends the connection. */
export const MAX_PROBE_LINE_BYTES = 1024 * 1024;

/** Events one `events` line may carry (a 1 MiB line holds a few thousand real ones). */
export const MAX_EVENTS_PER_LINE = 10_000;

/** The task-event kinds a probe reports; server and client kinds belong to the host alone. */
export const PROBE_EVENT_KINDS = [
  'accepted',
  'parked',
  'received',
  'echoed',
  'completed',
  'failed',
  'cancelled',
  'closed',
  'unretrieved',
] as const satisfies readonly TaskEvent['kind'][];

/**
 * What one event from a probe may hold. A line is bounded (1 MiB), but the host keeps thousands of ended
 * tasks, so a probe sending a megabyte of traceback per task could fill its memory: a longer error is
 * cut (and says so), a longer peer address refused. The probe itself cuts tracebacks at 16 KiB.
 */
export const PROBE_EVENT_BOUNDS = { errorName: 200, errorMessage: 4096, stack: 16 * 1024, peerAddress: 256 };

/** The host's default attach address: loopback only. */
export const DEFAULT_ATTACH_HOST = '127.0.0.1';
export const DEFAULT_ATTACH_PORT = 8765;

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A token is a short printable secret (the browser host's are 43 base64url characters). */
const TOKEN_SCHEMA = v.pipe(v.string(), v.maxLength(256));

const HELLO_SCHEMA = v.object({
  type: v.literal('hello'),
  protocol: v.number(),
  token: v.optional(TOKEN_SCHEMA),
  ...ATTACHED_PROCESS_SCHEMA.entries,
});

const EVENTS_SCHEMA = v.object({
  type: v.literal('events'),
  events: v.pipe(v.array(v.unknown()), v.maxLength(MAX_EVENTS_PER_LINE)),
  dropped: count,
});

const BYE_SCHEMA = v.object({ type: v.literal('bye'), reason: v.pipe(v.string(), v.maxLength(200)) });

const CANCEL_RESULT_SCHEMA = v.object({
  type: v.literal('cancel-result'),
  requestId: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  cancelled: v.boolean(),
  message: v.optional(v.pipe(v.string(), v.maxLength(500))),
});

/** The first line: who the process is, and its token. */
export interface ProbeHello {
  type: 'hello';
  protocol: number;
  token?: string;
  process: AttachedProcess;
}

/** A batch of task events, each still to be checked (checkProbeEvents), and the probe's cumulative drops. */
export interface ProbeEvents {
  type: 'events';
  events: unknown[];
  dropped: number;
}

export interface ProbeBye {
  type: 'bye';
  reason: string;
}

/** The probe's answer to a `cancel`. */
export interface ProbeCancelResult {
  type: 'cancel-result';
  requestId: number;
  cancelled: boolean;
  message?: string;
}

/** Every line a probe may send. */
export type ProbeMessage = ProbeHello | ProbeEvents | ProbeBye | ProbeCancelResult;

/** Every line the host sends. */
export type HostMessage =
  | { type: 'welcome'; protocol: typeof PROBE_PROTOCOL }
  | { type: 'refused'; message: string }
  | { type: 'cancel'; requestId: number; taskId: number };

export type ProbeLine = { ok: true; message: ProbeMessage } | { ok: false; problem: string };

const SCHEMAS = {
  hello: HELLO_SCHEMA,
  events: EVENTS_SCHEMA,
  bye: BYE_SCHEMA,
  'cancel-result': CANCEL_RESULT_SCHEMA,
} as const;

function isProbeMessageType(type: unknown): type is keyof typeof SCHEMAS {
  return isOwnKey(SCHEMAS, type);
}

/**
 * Checks one line from a probe (its text, without the newline). The message, or the problem in one
 * line such as `"events" line: dropped: Invalid type: Expected number but received "x"`. Never throws.
 */
export function parseProbeLine(text: string): ProbeLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (!isRecord(value)) return { ok: false, problem: `is ${describeValue(value)}, not a JSON object` };
  const type = value.type;
  if (!isProbeMessageType(type)) return { ok: false, problem: `has an unknown type ${describeValue(type)}` };
  const result = v.safeParse(SCHEMAS[type] as v.GenericSchema<unknown>, value, { abortEarly: true });
  if (!result.success) return { ok: false, problem: `"${type}" line: ${describeIssue(result.issues[0])}` };
  if (type !== 'hello') return { ok: true, message: result.output as ProbeMessage };
  const { protocol, token, pid, python, implementation, script, argv } = result.output as v.InferOutput<
    typeof HELLO_SCHEMA
  >;
  return {
    ok: true,
    message: {
      type: 'hello',
      protocol,
      ...(token === undefined ? {} : { token }),
      process: { pid, python, implementation, script, argv },
    },
  };
}

/** The events of one `events` line that passed their schemas, and what was wrong with the others. */
export interface CheckedProbeEvents {
  events: TaskEvent[];
  /** How many were left out. */
  rejected: number;
  /** The first one's problem, e.g. `event 3 (failed): awaitPoint: Invalid type: …`; null when none. */
  firstProblem: string | null;
}

/** Checks each event of an `events` line against the contract's own event schemas (task kinds only). */
export function checkProbeEvents(values: readonly unknown[]): CheckedProbeEvents {
  const events: TaskEvent[] = [];
  let rejected = 0;
  let firstProblem: string | null = null;
  values.forEach((value, index) => {
    const problem = checkOne(value);
    if (typeof problem === 'string') {
      rejected++;
      firstProblem ??= `event ${index + 1}${problem}`;
    } else events.push(problem);
  });
  return { events, rejected, firstProblem };
}

function checkOne(value: unknown): TaskEvent | string {
  if (!isRecord(value)) return ` is ${describeValue(value)}, not an object`;
  const kind = value.kind;
  if (!(PROBE_EVENT_KINDS as readonly unknown[]).includes(kind)) {
    return ` has kind ${describeValue(kind)}, not a task event a probe reports`;
  }
  const checked = checkEvent(kind as TaskEvent['kind'], value);
  if (!checked.ok) return ` (${kind as string}): ${checked.message}`;
  const event = checked.event as TaskEvent;
  if (event.taskId < 1) return ` (${event.kind}): taskId must be at least 1`;
  if (event.kind === 'accepted' && event.peerAddress.length > PROBE_EVENT_BOUNDS.peerAddress) {
    return ` (accepted): peerAddress is longer than ${PROBE_EVENT_BOUNDS.peerAddress} characters`;
  }
  if (event.kind === 'failed' || event.kind === 'unretrieved') {
    const { name, message, stack } = event.error;
    event.error = {
      name: cut(name, PROBE_EVENT_BOUNDS.errorName),
      message: cut(message, PROBE_EVENT_BOUNDS.errorMessage),
      stack: cut(stack, PROBE_EVENT_BOUNDS.stack),
    };
  }
  return event;
}

/** `text` within `limit` characters, marked when it was cut. */
function cut(text: string, limit: number): string {
  return text.length <= limit
    ? text
    : `${text.slice(0, limit)}… (cut by Echoscope: ${text.length} characters)`;
}

/** One host → probe line, newline included. */
export function encodeHostMessage(message: HostMessage): string {
  return `${JSON.stringify(message)}\n`;
}
