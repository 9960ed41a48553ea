/**
 * The event contract: everything the engine reports, as one discriminated union on `kind`.
 * Plain JSON-safe data only, so the same objects cross IPC, WebSocket and NDJSON unchanged.
 */

import type { CollectionMode } from './collection-modes';
import type { FailurePolicy } from './failure-policies';
import type { MatchMode } from './match-modes';

/**
 * Bumped whenever an event's shape changes in a way an older reader cannot read; carried by every batch
 * and snapshot. Version 2 (issue 13, attached Python processes) only ADDS: the `attached`/`detached`
 * kinds, the await points `accept` and `other`, and optional `awaitDetail` and `task` fields. Every
 * version 1 event is a valid version 2 event, so readers take both (READABLE_EVENT_SCHEMAS); the bump
 * is for older Echoscopes, which would leave the new kinds and await points out of a replay.
 */
export const EVENT_SCHEMA_VERSION = 2;

/** Event contract versions this build reads (recordings): each is a subset of the current one. */
export const READABLE_EVENT_SCHEMAS: readonly number[] = [1, 2];

/**
 * Where a running task is parked: waiting for bytes, or waiting for its echo to be flushed. An attached
 * Python process also reports `accept` (sock_accept) and `other` (any other await; see `awaitDetail`).
 */
export type AwaitPoint = 'recv' | 'send' | 'accept' | 'other';

/** Every await point, in the order views list them (derived lists start here). */
export const AWAIT_POINTS = ['recv', 'send', 'accept', 'other'] as const satisfies readonly AwaitPoint[];

/** Longest `awaitDetail`, task name and coroutine name an event may carry (probe protocol, 200 chars). */
export const MAX_TASK_LABEL = 200;

/** What happens to a task whose body throws: an id of the policy table (`failure-policies.ts`). */
export type { FailurePolicy };

/** When a dropped, failed task is collected: an id of the table in `collection-modes.ts`. */
export type { CollectionMode };

/** How the crash word is matched: an id of the table in `match-modes.ts`. */
export type { MatchMode };

/** An error as data: never an `Error` object on the wire. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string;
}

/** Why a connection's socket was closed. */
export type CloseReason =
  /** The task ended and its cleanup closed the socket. */
  | 'task-ended'
  /** The task object was garbage-collected; its socket finalizer closed the connection. */
  | 'finalized'
  /** Stop closed a socket left dangling by a failed task. */
  | 'stop'
  /** Stop's grace period ran out and the socket was destroyed. */
  | 'forced'
  /** A user asked to close this connection. */
  | 'user'
  /** The peer reset or errored the connection after the task had ended. */
  | 'peer';

/** Every close reason (the event schemas and the engine's packed records list them from here). */
export const CLOSE_REASONS = [
  'task-ended',
  'finalized',
  'stop',
  'forced',
  'user',
  'peer',
] as const satisfies readonly CloseReason[];

/** Why a task was cancelled. */
export type CancelReason = 'stop' | 'user';

/** Every cancel reason. */
export const CANCEL_REASONS = ['stop', 'user'] as const satisfies readonly CancelReason[];

/** Fields every task event carries. */
interface TaskEventBase {
  /** Strictly increasing per engine run; a snapshot's `lastSeq` tells which events it already contains. */
  seq: number;
  /** Monotonic time in epoch milliseconds (performance.timeOrigin + performance.now()). */
  at: number;
  /** The connection task this event is about. */
  taskId: number;
}

/** A connection was accepted and its task spawned. */
export interface AcceptedEvent extends TaskEventBase {
  kind: 'accepted';
  /** Remote address and port, as the article prints them. */
  peerAddress: string;
  peerPort: number;
  /** The server's local port on this connection. */
  localPort: number;
  /**
   * The asyncio Task's name and coroutine, for tasks of an attached Python process (whose tasks need
   * not be connections: peerAddress is then "" and the ports 0). Absent for the built-in server.
   */
  task?: PythonTaskLabel;
}

/** What an attached Python process says of a task at its creation. */
export interface PythonTaskLabel {
  /** `Task.get_name()`, e.g. `Task-3`. */
  name: string;
  /** The coroutine's name, e.g. `echo`. */
  coroutine: string;
}

/** The task is suspended at an await point (reported when the await point it waits at changes). */
export interface ParkedEvent extends TaskEventBase {
  kind: 'parked';
  awaitPoint: AwaitPoint;
  /** The awaited call in words, e.g. `loop.sock_recv` (attached processes only; at most MAX_TASK_LABEL). */
  awaitDetail?: string;
}

/**
 * `recv` returned bytes. Data-path events are coalesced per task: one event covers every read since
 * the task's previous `received` (at most one per ~16 ms per task), so a busy echo costs no event per
 * round trip. Byte and read totals stay exact.
 */
export interface ReceivedEvent extends TaskEventBase {
  kind: 'received';
  /** Bytes received by all the reads this event covers. */
  bytes: number;
  /** How many `recv` calls returned data. */
  reads: number;
  /** Base64 of at most the first `PREVIEW_BYTES` of the newest chunk, for the transcript. */
  preview: string;
}

/** `sendAll` handed echoes to the kernel (coalesced like `received`). */
export interface EchoedEvent extends TaskEventBase {
  kind: 'echoed';
  bytes: number;
  /** How many `sendAll` calls completed. */
  sends: number;
}

/** The client closed its side; the task returned normally. */
export interface CompletedEvent extends TaskEventBase {
  kind: 'completed';
}

/** The task's body threw. What happens next depends on `policy`. */
export interface FailedEvent extends TaskEventBase {
  kind: 'failed';
  error: SerializedError;
  policy: FailurePolicy;
  /** Where the task was when it threw (the crash word is detected after `recv`). */
  awaitPoint: AwaitPoint;
  /** True when the policy leaves the connection open with nobody reading it. */
  dangling: boolean;
  /** As on ParkedEvent. */
  awaitDetail?: string;
}

/** The task was cancelled at its current await point; its cleanup has run. */
export interface CancelledEvent extends TaskEventBase {
  kind: 'cancelled';
  awaitPoint: AwaitPoint;
  reason: CancelReason;
  /** As on ParkedEvent. */
  awaitDetail?: string;
}

/** The connection's socket is closed. Emitted once per connection. */
export interface ClosedEvent extends TaskEventBase {
  kind: 'closed';
  reason: CloseReason;
  /** True when the peer got a reset (unread data was discarded) rather than a clean EOF. */
  reset: boolean;
}

/** `gc`: the task object was collected; `shutdown`: reported at stop, as asyncio does at exit. */
export type UnretrievedVia = 'gc' | 'shutdown';

/** The "Task exception was never retrieved" warning for a failed task nobody awaited. */
export interface UnretrievedEvent extends TaskEventBase {
  kind: 'unretrieved';
  error: SerializedError;
  via: UnretrievedVia;
}

/** Every task-level event. */
export type TaskEvent =
  | AcceptedEvent
  | ParkedEvent
  | ReceivedEvent
  | EchoedEvent
  | CompletedEvent
  | FailedEvent
  | CancelledEvent
  | ClosedEvent
  | UnretrievedEvent;

/** Fields every server event carries (no task). */
interface ServerEventBase {
  seq: number;
  at: number;
}

/** The listener is bound and accepting. */
export interface ListeningEvent extends ServerEventBase {
  kind: 'listening';
  settings: ServerSettings;
  /** The port actually bound (differs from settings.port when that was 0). */
  port: number;
}

/** Stop began: the listener is closed and `live` tasks are being cancelled. */
export interface StoppingEvent extends ServerEventBase {
  kind: 'stopping';
  live: number;
}

/** Stop finished. */
export interface StoppedEvent extends ServerEventBase {
  kind: 'stopped';
  cancelled: number;
  /** Sockets destroyed because their task did not settle within the grace period. */
  forced: number;
  durationMs: number;
}

/** A garbage collection was requested; `available` is false when the runtime offers no `gc()`. */
export interface GcRunEvent extends ServerEventBase {
  kind: 'gc-run';
  available: boolean;
  /** Failed tasks whose finalizer ran as a result. */
  finalized: number;
}

/** An external Python process, as its probe introduced itself (probe/PROTOCOL.md, `hello`). */
export interface AttachedProcess {
  pid: number;
  /** e.g. `3.11.7`. */
  python: string;
  /** e.g. `CPython`. */
  implementation: string;
  /** The script it runs, as an absolute path. */
  script: string;
  argv: string[];
}

/**
 * A Python process running the probe attached: a new run starts (as with `listening`), and its tasks'
 * events follow, re-stamped into this stream.
 */
export interface AttachedEvent extends ServerEventBase {
  kind: 'attached';
  process: AttachedProcess;
}

/** The attached process disconnected: it exited (`exit`: it said goodbye first) or its connection was lost. */
export interface DetachedEvent extends ServerEventBase {
  kind: 'detached';
  pid: number;
  reason: 'exit' | 'lost';
  /** Tasks still running when it went; their end was never reported. */
  unended: number;
  /** Events the probe's bounded queue dropped over the whole attachment. */
  probeDropped: number;
}

/** Every server-level event. */
export type ServerEvent =
  | ListeningEvent
  | StoppingEvent
  | StoppedEvent
  | GcRunEvent
  | AttachedEvent
  | DetachedEvent;

/** Fields every built-in client event carries. */
interface ClientEventBase {
  seq: number;
  at: number;
  clientId: number;
}

/** A built-in client connected. `taskId` is the server task that serves it, once known. */
export interface ClientOpenedEvent extends ClientEventBase {
  kind: 'client-opened';
  localPort: number;
}

/** A built-in client wrote bytes. */
export interface ClientSentEvent extends ClientEventBase {
  kind: 'client-sent';
  bytes: number;
  preview: string;
}

/** A built-in client read bytes (the echo). */
export interface ClientReceivedEvent extends ClientEventBase {
  kind: 'client-received';
  bytes: number;
  preview: string;
}

/** A built-in client's connection ended. */
export interface ClientClosedEvent extends ClientEventBase {
  kind: 'client-closed';
  /** `eof`: the server closed cleanly; `reset`: ECONNRESET; `local`: closed by the user; `error`: other. */
  reason: 'eof' | 'reset' | 'local' | 'error';
  message?: string;
}

/** Every built-in client event. */
export type ClientEvent = ClientOpenedEvent | ClientSentEvent | ClientReceivedEvent | ClientClosedEvent;

/** The one union every host forwards and every view consumes. */
export type EngineEvent = TaskEvent | ServerEvent | ClientEvent;

/** Discriminant values, for validation and filtering. */
export type EngineEventKind = EngineEvent['kind'];

/** Bytes of each chunk kept as preview in events and transcripts. */
export const PREVIEW_BYTES = 256;

/** Settings a server is started with. */
export interface ServerSettings {
  host: string;
  port: number;
  policy: FailurePolicy;
  crashWord: string;
  match: MatchMode;
  /** Bytes each `recv` asks for; the article uses 1024. */
  recvSize: number;
  /**
   * `cpython`: a failed task nobody references is collected at once (a real collection, requested by
   * the engine), so its warning and its socket's close come right away, as reference counting does it;
   * `v8`: only when V8 collects on its own or a user asks.
   */
  collection: CollectionMode;
}

/** Exact running totals, maintained by the engine for every event even when detail is dropped. */
export interface Counters {
  live: number;
  accepted: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Never-retrieved warnings reported. */
  unretrieved: number;
  /** Connections left open by a failed task (dangling now). */
  dangling: number;
  bytesIn: number;
  bytesOut: number;
  /** Events emitted by the engine (sequence numbers handed out). */
  events: number;
}

/** An event as its producer builds it: the event bus stamps `seq` and `at`. */
export type UnstampedEvent = EngineEvent extends infer E
  ? E extends EngineEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

/** What a subscriber receives, at most about 60 times a second. */
export interface EventBatch {
  v: typeof EVENT_SCHEMA_VERSION;
  events: EngineEvent[];
  /** Events left out of this batch because the subscriber's buffer was full (detail only; counters stay exact). */
  dropped: number;
  /** Totals as of the last event in this batch. */
  counters: Counters;
  /** Sequence number of the newest event emitted when this batch was cut. */
  lastSeq: number;
}

/** Whether `e` begins a new run (the built-in server listening, or a Python process attaching): views start afresh. */
export function startsRun(e: EngineEvent): e is ListeningEvent | AttachedEvent {
  return e.kind === 'listening' || e.kind === 'attached';
}

export function isTaskEvent(e: EngineEvent): e is TaskEvent {
  return 'taskId' in e;
}

export function isClientEvent(e: EngineEvent): e is ClientEvent {
  return 'clientId' in e;
}
