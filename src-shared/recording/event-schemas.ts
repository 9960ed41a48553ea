/**
 * Full schemas of every engine event, for data that comes back from outside the process (a recording
 * file): each field of each kind checked, nothing coerced. Keyed by kind and typed against the union,
 * so a new kind (or a changed field) fails to compile until its schema is written.
 */
import * as v from 'valibot';
import { checkSettings } from '../command-validation';
import { SERVER_PHASES } from '../commands';
import {
  type AttachedProcess,
  AWAIT_POINTS,
  CANCEL_REASONS,
  CLOSE_REASONS,
  type DetachedEvent,
  type EngineEvent,
  type EngineEventKind,
  MAX_TASK_LABEL,
  type ServerSettings,
} from '../events';
import { FAILURE_POLICIES } from '../failure-policies';
import { isOwnKey } from '../untrusted-value';
import type { RecordingRunAtStart } from './recording-format';

const DETACH_REASONS = ['exit', 'lost'] as const satisfies readonly DetachedEvent['reason'][];

const seq = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const at = v.pipe(v.number(), v.finite());
const id = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const duration = v.pipe(v.number(), v.finite(), v.minValue(0));
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));
const awaitPoint = v.picklist(AWAIT_POINTS);
const label = v.pipe(v.string(), v.maxLength(MAX_TASK_LABEL));
/** Optional, additive (contract version 2): absent in version 1 events and the built-in server's. */
const awaitDetail = v.optional(label);
const preview = v.pipe(v.string(), v.maxLength(4096), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'));
const error = v.object({ name: v.string(), message: v.string(), stack: v.string() });

/** Settings are checked by the one settings check of the contract (so new settings get their defaults). */
export const SETTINGS_SCHEMA = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }): ServerSettings => {
    const checked = checkSettings(dataset.value);
    if (checked.ok) return checked.value;
    addIssue({ message: checked.error.message });
    return NEVER;
  }),
);

/** An attached Python process as its probe describes it (bounded: it comes from another program). */
export const ATTACHED_PROCESS_SCHEMA = v.object({
  pid: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  python: v.pipe(v.string(), v.maxLength(64)),
  implementation: v.pipe(v.string(), v.maxLength(64)),
  script: v.pipe(v.string(), v.maxLength(4096)),
  argv: v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(256)),
}) satisfies v.GenericSchema<unknown, AttachedProcess>;

/** The header's `runAtStart` (RecordingRunAtStart): the state of the run a recording began in. */
export const RUN_AT_START_SCHEMA = v.object({
  phase: v.picklist(SERVER_PHASES),
  boundPort: v.nullable(port),
  attached: v.optional(
    v.object({
      process: ATTACHED_PROCESS_SCHEMA,
      connected: v.boolean(),
      exit: v.nullable(v.picklist(DETACH_REASONS)),
    }),
  ),
  eventsBefore: count,
}) satisfies v.GenericSchema<unknown, RecordingRunAtStart>;

const task = { seq, at, taskId: id };
const server = { seq, at };
const client = { seq, at, clientId: id };

/** One schema per event kind; `satisfies` demands every kind of the union and each schema's output type. */
export const EVENT_SCHEMAS = {
  accepted: v.object({
    ...task,
    kind: v.literal('accepted'),
    peerAddress: v.string(),
    peerPort: port,
    localPort: port,
    task: v.optional(v.object({ name: label, coroutine: label })),
  }),
  parked: v.object({ ...task, kind: v.literal('parked'), awaitPoint, awaitDetail }),
  received: v.object({ ...task, kind: v.literal('received'), bytes: count, reads: count, preview }),
  echoed: v.object({ ...task, kind: v.literal('echoed'), bytes: count, sends: count }),
  completed: v.object({ ...task, kind: v.literal('completed') }),
  failed: v.object({
    ...task,
    kind: v.literal('failed'),
    error,
    policy: v.picklist(FAILURE_POLICIES),
    awaitPoint,
    dangling: v.boolean(),
    awaitDetail,
  }),
  cancelled: v.object({
    ...task,
    kind: v.literal('cancelled'),
    awaitPoint,
    reason: v.picklist(CANCEL_REASONS),
    awaitDetail,
  }),
  closed: v.object({
    ...task,
    kind: v.literal('closed'),
    reason: v.picklist(CLOSE_REASONS),
    reset: v.boolean(),
  }),
  unretrieved: v.object({
    ...task,
    kind: v.literal('unretrieved'),
    error,
    via: v.picklist(['gc', 'shutdown']),
  }),
  listening: v.object({ ...server, kind: v.literal('listening'), settings: SETTINGS_SCHEMA, port }),
  stopping: v.object({ ...server, kind: v.literal('stopping'), live: count }),
  stopped: v.object({
    ...server,
    kind: v.literal('stopped'),
    cancelled: count,
    forced: count,
    durationMs: duration,
  }),
  'gc-run': v.object({ ...server, kind: v.literal('gc-run'), available: v.boolean(), finalized: count }),
  attached: v.object({ ...server, kind: v.literal('attached'), process: ATTACHED_PROCESS_SCHEMA }),
  detached: v.object({
    ...server,
    kind: v.literal('detached'),
    pid: count,
    reason: v.picklist(DETACH_REASONS),
    unended: count,
    probeDropped: count,
  }),
  'client-opened': v.object({ ...client, kind: v.literal('client-opened'), localPort: port }),
  'client-sent': v.object({ ...client, kind: v.literal('client-sent'), bytes: count, preview }),
  'client-received': v.object({ ...client, kind: v.literal('client-received'), bytes: count, preview }),
  'client-closed': v.object({
    ...client,
    kind: v.literal('client-closed'),
    reason: v.picklist(['eof', 'reset', 'local', 'error']),
    message: v.optional(v.string()),
  }),
} satisfies { [K in EngineEventKind]: v.GenericSchema<unknown, Extract<EngineEvent, { kind: K }>> };

/** Whether `kind` names an event kind of this contract (by own key: `toString` is not a kind). */
export function isEventKind(kind: unknown): kind is EngineEventKind {
  return isOwnKey(EVENT_SCHEMAS, kind);
}

/** A path and message for the first problem, e.g. `peerPort: Invalid value: Expected <=65535 but received 70000`. */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path?.map((item) => String(item.key)).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Checks one event of known kind; the typed event, or the first problem in words. */
export function checkEvent(
  kind: EngineEventKind,
  value: unknown,
): { ok: true; event: EngineEvent } | { ok: false; message: string } {
  const result = v.safeParse(EVENT_SCHEMAS[kind] as v.GenericSchema<unknown, EngineEvent>, value, {
    abortEarly: true,
  });
  if (result.success) return { ok: true, event: result.output };
  return { ok: false, message: describeIssue(result.issues[0]) };
}
