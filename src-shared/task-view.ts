import type {
  AcceptedEvent,
  AwaitPoint,
  CloseReason,
  PythonTaskLabel,
  SerializedError,
  TaskEvent,
} from './events';
import { pushBounded, RETENTION } from './retention';

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
  /** Where a running task is suspended (null before its first await), or where an ended one was. */
  awaitPoint: AwaitPoint | null;
  /** The awaited call in words (an attached Python process's `awaitDetail`), null when not reported. */
  awaitDetail: string | null;
  /** The asyncio Task's name and coroutine (attached Python processes only). */
  pythonTask: PythonTaskLabel | null;
  socketOpen: boolean;
  /** The failure policy left this connection open with nobody reading it (see isDangling). */
  leftDangling: boolean;
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

function describe(e: TaskEvent): string {
  switch (e.kind) {
    case 'accepted':
      return e.peerAddress === '' && e.task
        ? `${e.task.name} (${e.task.coroutine})`
        : `from ${e.peerAddress}:${e.peerPort}`;
    case 'parked':
      return `await ${e.awaitPoint}${e.awaitDetail ? ` (${e.awaitDetail})` : ''}`;
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

/** Whether an event belongs in the lifecycle list (data goes to the transcript; `parked` comes only on a change). */
function isLifecycle(e: TaskEvent): boolean {
  return e.kind !== 'received' && e.kind !== 'echoed';
}

/** A new view for an accepted connection. */
export function createTaskView(e: AcceptedEvent): TaskView {
  return {
    id: e.taskId,
    peerAddress: e.peerAddress,
    peerPort: e.peerPort,
    localPort: e.localPort,
    state: 'running',
    awaitPoint: null,
    awaitDetail: null,
    pythonTask: e.task ? { name: e.task.name, coroutine: e.task.coroutine } : null,
    socketOpen: true,
    leftDangling: false,
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

/** A copy that shares nothing mutable with `view` (arrays included), so it can be applied to freely. */
export function cloneTaskView(view: TaskView): TaskView {
  return { ...view, transcript: view.transcript.slice(), lifecycle: view.lifecycle.slice() };
}

/**
 * The one reducer from task events to a task view, used by the engine (for snapshots) and by the
 * renderer store. It updates `view` IN PLACE, so the engine pays no copy per event; immutable callers
 * clone once per batch (cloneTaskView) and apply every event of the batch to the clone.
 */
export function applyTaskEvent(view: TaskView, e: Exclude<TaskEvent, AcceptedEvent>): void {
  if (isLifecycle(e))
    pushBounded(view.lifecycle, { at: e.at, kind: e.kind, detail: describe(e) }, RETENTION.lifecycle);
  switch (e.kind) {
    case 'parked':
      view.awaitPoint = e.awaitPoint;
      view.awaitDetail = e.awaitDetail ?? null;
      break;
    case 'received':
      // Data events are coalesced and reported while the task waits, so the await point stands.
      view.bytesIn += e.bytes;
      view.messagesIn += e.reads;
      view.lastActivityAt = e.at;
      pushBounded(
        view.transcript,
        { at: e.at, direction: 'in', bytes: e.bytes, preview: e.preview },
        RETENTION.transcript,
      );
      break;
    case 'echoed':
      view.bytesOut += e.bytes;
      view.messagesOut += e.sends;
      view.lastActivityAt = e.at;
      break;
    case 'completed':
      view.state = 'completed';
      view.endedAt = e.at;
      view.awaitPoint = null;
      view.awaitDetail = null;
      break;
    case 'failed':
      view.state = 'failed';
      view.endedAt = e.at;
      view.error = e.error;
      view.awaitPoint = e.awaitPoint;
      if (e.awaitDetail !== undefined) view.awaitDetail = e.awaitDetail;
      view.leftDangling = e.dangling;
      break;
    case 'cancelled':
      view.state = 'cancelled';
      view.endedAt = e.at;
      view.awaitPoint = e.awaitPoint;
      if (e.awaitDetail !== undefined) view.awaitDetail = e.awaitDetail;
      view.cancelReason = e.reason;
      break;
    case 'closed':
      view.socketOpen = false;
      if (view.state !== 'running') {
        // Tens of thousands of ended tasks are kept: exact-size copies, not arrays with room to grow.
        view.transcript = view.transcript.slice(-RETENTION.endedTranscript);
        view.lifecycle = view.lifecycle.slice();
      }
      view.closeReason = e.reason;
      view.closedWithReset = e.reset;
      break;
    case 'unretrieved':
      view.unretrieved = e.via;
      view.error = e.error;
      break;
  }
}

/**
 * Pure form of the reducer for one event: returns a new view and never mutates `prev`. Returns
 * undefined for events about a task never seen accepted (e.g. forgotten after eviction).
 */
export function reduceTask(prev: TaskView | undefined, e: TaskEvent): TaskView | undefined {
  if (e.kind === 'accepted') return createTaskView(e);
  if (!prev) return undefined;
  const next = cloneTaskView(prev);
  applyTaskEvent(next, e);
  return next;
}

/** Whether a task's connection is still open (the eviction rule keeps such a task; see retention.ts). */
export function isConnectionOpen(t: Pick<TaskView, 'socketOpen'>): boolean {
  return t.socketOpen;
}

/** A failed task whose connection is still open with nobody reading it. */
export function isDangling(t: Pick<TaskView, 'leftDangling' | 'socketOpen'>): boolean {
  return t.leftDangling && t.socketOpen;
}
