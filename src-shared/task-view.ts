import type { AwaitPoint, CloseReason, SerializedError, TaskEvent } from './events';

/** A task's outcome so far: `running` until exactly one end state. */
export type TaskState = 'running' | 'completed' | 'failed' | 'cancelled';

/** One entry of a task's bounded transcript. */
export interface TranscriptEntry {
  at: number;
  direction: 'in' | 'out';
  bytes: number;
  /** Base64 of at most PREVIEW_BYTES of the chunk (only incoming data carries bytes; echoes repeat them). */
  preview: string;
}

/** One entry of a task's lifecycle list (state changes and await points, with times). */
export interface LifecycleEntry {
  at: number;
  kind: TaskEvent['kind'];
  detail: string;
}

/** Everything a view needs to show one connection task; built by `reduceTask` from events alone. */
export interface TaskView {
  id: number;
  peerAddress: string;
  peerPort: number;
  localPort: number;
  state: TaskState;
  /** Where a running task waits now, or where an ended one was when it ended. */
  awaitPoint: AwaitPoint | null;
  socketOpen: boolean;
  closeReason: CloseReason | null;
  /** Whether the peer saw a reset when the socket closed. */
  closedWithReset: boolean;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  startedAt: number;
  endedAt: number | null;
  lastActivityAt: number;
  error: SerializedError | null;
  /** A never-retrieved warning was reported for this task. */
  unretrieved: 'gc' | 'shutdown' | null;
  cancelReason: 'stop' | 'user' | null;
  transcript: TranscriptEntry[];
  lifecycle: LifecycleEntry[];
}

/** Transcript entries kept per task; older ones are discarded. */
export const TRANSCRIPT_LIMIT = 32;
/** Lifecycle entries kept per task: the first ones (start) and the most recent. */
export const LIFECYCLE_LIMIT = 40;

function appendBounded<T>(list: T[], item: T, limit: number): T[] {
  const next = list.length >= limit ? list.slice(list.length - limit + 1) : list.slice();
  next.push(item);
  return next;
}

function describe(e: TaskEvent): string {
  switch (e.kind) {
    case 'accepted':
      return `from ${e.peerAddress}:${e.peerPort}`;
    case 'parked':
      return `await ${e.awaitPoint}`;
    case 'received':
      return `${e.bytes} B`;
    case 'echoed':
      return `${e.bytes} B`;
    case 'completed':
      return 'client closed';
    case 'failed':
      return `${e.error.name}: ${e.error.message}${e.dangling ? ' (connection left dangling)' : ''}`;
    case 'cancelled':
      return `at ${e.awaitPoint} (${e.reason})`;
    case 'closed':
      return `${e.reason}${e.reset ? ', reset' : ''}`;
    case 'unretrieved':
      return `Task exception was never retrieved (${e.via})`;
  }
}

/** Whether an event belongs in the lifecycle list (data events are too frequent; they go to the transcript). */
function isLifecycle(e: TaskEvent): boolean {
  return e.kind !== 'received' && e.kind !== 'echoed' && e.kind !== 'parked';
}

/**
 * The one pure reducer from task events to a task view, used by the engine (for snapshots) and by the
 * renderer store. Returns a new object when the event changes the view; never mutates `prev`.
 * Returns undefined for events about a task it has never seen accepted (e.g. after eviction).
 */
export function reduceTask(prev: TaskView | undefined, e: TaskEvent): TaskView | undefined {
  if (e.kind === 'accepted') {
    return {
      id: e.taskId,
      peerAddress: e.peerAddress,
      peerPort: e.peerPort,
      localPort: e.localPort,
      state: 'running',
      awaitPoint: null,
      socketOpen: true,
      closeReason: null,
      closedWithReset: false,
      bytesIn: 0,
      bytesOut: 0,
      messagesIn: 0,
      messagesOut: 0,
      startedAt: e.at,
      endedAt: null,
      lastActivityAt: e.at,
      error: null,
      unretrieved: null,
      cancelReason: null,
      transcript: [],
      lifecycle: [{ at: e.at, kind: e.kind, detail: describe(e) }],
    };
  }
  if (!prev) return undefined;
  const next: TaskView = { ...prev };
  if (isLifecycle(e))
    next.lifecycle = appendBounded(
      prev.lifecycle,
      { at: e.at, kind: e.kind, detail: describe(e) },
      LIFECYCLE_LIMIT,
    );
  switch (e.kind) {
    case 'parked':
      next.awaitPoint = e.awaitPoint;
      break;
    case 'received':
      next.bytesIn += e.bytes;
      next.messagesIn += 1;
      next.lastActivityAt = e.at;
      next.transcript = appendBounded(
        prev.transcript,
        { at: e.at, direction: 'in', bytes: e.bytes, preview: e.preview },
        TRANSCRIPT_LIMIT,
      );
      break;
    case 'echoed':
      next.bytesOut += e.bytes;
      next.messagesOut += 1;
      next.lastActivityAt = e.at;
      break;
    case 'completed':
      next.state = 'completed';
      next.endedAt = e.at;
      break;
    case 'failed':
      next.state = 'failed';
      next.endedAt = e.at;
      next.error = e.error;
      next.awaitPoint = e.awaitPoint;
      break;
    case 'cancelled':
      next.state = 'cancelled';
      next.endedAt = e.at;
      next.awaitPoint = e.awaitPoint;
      next.cancelReason = e.reason;
      break;
    case 'closed':
      next.socketOpen = false;
      next.closeReason = e.reason;
      next.closedWithReset = e.reset;
      break;
    case 'unretrieved':
      next.unretrieved = e.via;
      next.error = e.error;
      break;
  }
  return next;
}

/** A failed task whose connection is still open with nobody reading it. */
export function isDangling(t: TaskView): boolean {
  return t.state === 'failed' && t.socketOpen;
}
