import type { ClientView, WarningView } from '../commands';
import type { EngineEvent, UnstampedEvent } from '../events';
import type { RetentionLimits } from '../retention';
import { DEFAULT_SETTINGS } from '../settings-defaults';
import { isDangling, type TaskView } from '../task-view';

/** What a run keeps, in figures a test can compare whoever kept it (engine state or renderer store). */
export interface RetainedSummary {
  runningTasks: number;
  endedTasks: number;
  /** Ids of the dangling tasks kept: every one, however long ago it ended. */
  danglingTaskIds: number[];
  /** The oldest kept task that ended and closed: the ones before it were forgotten, oldest first. */
  oldestClosedTaskId: number | null;
  longestTranscript: number;
  longestEndedTranscript: number;
  longestLifecycle: number;
  warnings: number;
  newestWarningTaskId: number | null;
  clients: number;
  openClients: number;
}

export function summarizeRetained(kept: {
  tasks: Iterable<TaskView>;
  warnings: readonly WarningView[];
  clients: Iterable<ClientView>;
}): RetainedSummary {
  const s: RetainedSummary = {
    runningTasks: 0,
    endedTasks: 0,
    danglingTaskIds: [],
    oldestClosedTaskId: null,
    longestTranscript: 0,
    longestEndedTranscript: 0,
    longestLifecycle: 0,
    warnings: kept.warnings.length,
    newestWarningTaskId: kept.warnings.at(-1)?.taskId ?? null,
    clients: 0,
    openClients: 0,
  };
  for (const t of kept.tasks) {
    if (t.state === 'running') s.runningTasks++;
    else s.endedTasks++;
    if (isDangling(t)) s.danglingTaskIds.push(t.id);
    s.longestTranscript = Math.max(s.longestTranscript, t.transcript.length);
    s.longestLifecycle = Math.max(s.longestLifecycle, t.lifecycle.length);
    if (t.state !== 'running' && !t.socketOpen) {
      s.longestEndedTranscript = Math.max(s.longestEndedTranscript, t.transcript.length);
      if (s.oldestClosedTaskId === null || t.id < s.oldestClosedTaskId) s.oldestClosedTaskId = t.id;
    }
  }
  for (const c of kept.clients) {
    s.clients++;
    if (c.open) s.openClients++;
  }
  s.danglingTaskIds.sort((a, b) => a - b);
  return s;
}

const DANGLING = [1, 2, 3];
const RUNNING = [4, 5];
const FIRST_ENDED = 6;
/** Ended-and-closed tasks beyond the limit, so some must be forgotten. */
const EXTRA_ENDED = 50;
const OPEN_CLIENTS = 3;

/**
 * One run that goes past every limit in `limits`: three dangling tasks that end first (so a wrong rule
 * would forget them first), two running tasks with long transcripts and lifecycles, `EXTRA_ENDED` more
 * ended-and-closed tasks than are kept (the newest with long transcripts), more warnings and more
 * built-in clients than are kept (the oldest clients stay open). `expected` is what keeping it within
 * the limits by the shared rule leaves.
 */
export function retentionScenario(limits: RetentionLimits): {
  events: EngineEvent[];
  expected: RetainedSummary;
} {
  const events: EngineEvent[] = [];
  let seq = 0;
  const add = (e: UnstampedEvent) => {
    seq++;
    events.push({ ...e, seq, at: 1_000 + seq } as EngineEvent);
  };
  const error = {
    name: 'Error',
    message: 'Unexpected network error',
    stack: 'Error: Unexpected network error',
  };
  const accept = (taskId: number) =>
    add({ kind: 'accepted', taskId, peerAddress: '127.0.0.1', peerPort: 40_000 + taskId, localPort: 8000 });
  const receive = (taskId: number, times: number) => {
    for (let i = 0; i < times; i++) add({ kind: 'received', taskId, bytes: 1, reads: 1, preview: 'eA==' });
  };

  add({ kind: 'listening', settings: DEFAULT_SETTINGS, port: 8000 });
  for (const id of DANGLING) {
    accept(id);
    receive(id, limits.transcript + 5);
    add({ kind: 'failed', taskId: id, error, policy: 'unhandled', awaitPoint: 'recv', dangling: true });
  }
  for (const id of RUNNING) {
    accept(id);
    receive(id, limits.transcript + 5);
    for (let i = 0; i < limits.lifecycle + 5; i++)
      add({ kind: 'parked', taskId: id, awaitPoint: i % 2 ? 'recv' : 'send' });
  }
  const endedCount = limits.endedTasks - DANGLING.length + EXTRA_ENDED;
  const lastEnded = FIRST_ENDED + endedCount - 1;
  for (let id = FIRST_ENDED; id <= lastEnded; id++) {
    accept(id);
    if (lastEnded - id < 10) receive(id, limits.endedTranscript + 5);
    add({ kind: 'completed', taskId: id });
    add({ kind: 'closed', taskId: id, reason: 'task-ended', reset: false });
  }
  for (let i = 0; i < limits.warnings + 5; i++)
    add({ kind: 'unretrieved', taskId: DANGLING[i % DANGLING.length]!, error, via: 'gc' });
  const clientCount = limits.clients + 10;
  for (let id = 1; id <= clientCount; id++) {
    add({ kind: 'client-opened', clientId: id, localPort: 50_000 + id });
    if (id > OPEN_CLIENTS) add({ kind: 'client-closed', clientId: id, reason: 'eof' });
  }

  return {
    events,
    expected: {
      runningTasks: RUNNING.length,
      endedTasks: limits.endedTasks,
      danglingTaskIds: DANGLING,
      oldestClosedTaskId: lastEnded - (limits.endedTasks - DANGLING.length) + 1,
      longestTranscript: limits.transcript,
      longestEndedTranscript: limits.endedTranscript,
      longestLifecycle: limits.lifecycle,
      warnings: limits.warnings,
      newestWarningTaskId: DANGLING[(limits.warnings + 4) % DANGLING.length]!,
      clients: limits.clients,
      openClients: OPEN_CLIENTS,
    },
  };
}
