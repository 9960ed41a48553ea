import { describeAttachedProcess, describeDetach } from '../../src-shared/attached-process';
import { beyondLoopbackWarning } from '../../src-shared/bind-address';
import { COLLECTION_MODES } from '../../src-shared/collection-modes';
import type { EngineEvent, EventBatch, FailedEvent, ReceivedEvent } from '../../src-shared/events';
import { collectionMatters, POLICIES } from '../../src-shared/failure-policies';

/** Writes one line (or block) of output. */
export type LineWriter = (text: string) => void;

/** asyncio's repr of a failed task, as in the article's warning. */
function taskRepr(taskId: number, message: string): string {
  return `<Task finished name='Task-${taskId}' coro=<echo()> exception=Error('${message}')>`;
}

/** A failed task, as its policy's row says: the error logged, or raised and left to a collection or to stop. */
function describeFailure(e: FailedEvent): string {
  const policy = POLICIES[e.policy];
  if (policy.exception === 'logged') {
    const closed =
      policy.socket === 'closed-at-once' ? `\nTask ${e.taskId}: connection closed in finally` : '';
    return `ERROR task ${e.taskId}: ${e.error.message}\n${e.error.stack}${closed}`;
  }
  const raised = `Task ${e.taskId} raised ${e.error.name}: ${e.error.message}`;
  // The exception goes unretrieved either way; only the connection's fate differs (a reset closed it).
  if (policy.retainsTasks) {
    return `${raised}; it stays in the tasks list, so nothing is reported until stop (${e.dangling ? 'its connection dangles' : 'its connection is already closed'})`;
  }
  return e.dangling
    ? `${raised}; nobody awaits it, its connection dangles until the task is garbage-collected`
    : `${raised}; nobody awaits it, so nothing is reported until the task is garbage-collected (its connection is already closed)`;
}

/**
 * Human output of `echoscope serve`: the article's server log (connections, the error with its stack,
 * the never-retrieved warning, one line per task cancelled at shutdown). Data events stay quiet here
 * (`--verbose` adds the fixed listing's `got data!`).
 */
export function describeEvent(e: EngineEvent, source: EventSource = 'engine'): string | null {
  if (source === 'python') {
    const line = describePythonEvent(e);
    if (line !== undefined) return line;
  }
  switch (e.kind) {
    case 'listening': {
      const policy = POLICIES[e.settings.policy];
      return [
        `Echo server listening on ${e.settings.host}:${e.port}`,
        `  policy ${e.settings.policy}: ${policy.lesson}`,
        ...(collectionMatters(policy)
          ? [`  collection ${e.settings.collection}: ${COLLECTION_MODES[e.settings.collection].lesson}`]
          : []),
        `  crash word "${e.settings.crashWord}" (${e.settings.match} match), recv(${e.settings.recvSize})`,
        '  Press Ctrl-C to stop.',
      ].join('\n');
    }
    case 'accepted':
      return `Got a connection from ${e.peerAddress}:${e.peerPort} (task ${e.taskId})`;
    case 'completed':
      return `Task ${e.taskId} completed: the client closed the connection`;
    case 'failed':
      return describeFailure(e);
    case 'unretrieved':
      return `Task exception was never retrieved${e.via === 'shutdown' ? ' (at shutdown)' : ''}\nfuture: ${taskRepr(e.taskId, e.error.message)}\n${e.error.stack}`;
    case 'cancelled':
      return `Task ${e.taskId} cancelled at await ${e.awaitPoint}${e.reason === 'user' ? ' (by user)' : ''}`;
    case 'closed':
      if (e.reason === 'finalized')
        return `Task ${e.taskId}: socket closed by its finalizer${e.reset ? ' (reset: unread data)' : ''}`;
      if (e.reason === 'stop' || e.reason === 'forced')
        return `Task ${e.taskId}: dangling connection closed at ${e.reason}${e.reset ? ' (reset: unread data)' : ''}`;
      return null;
    case 'stopping':
      return `Stopping: listener closed, cancelling ${e.live} live task${e.live === 1 ? '' : 's'}`;
    case 'stopped':
      return `Stopped: ${e.cancelled} task${e.cancelled === 1 ? '' : 's'} cancelled in ${e.durationMs} ms${e.forced ? `, ${e.forced} forced` : ''}`;
    case 'gc-run':
      if (!e.available) return 'Garbage collection is not available in this runtime';
      return `Garbage collected: ${e.finalized} failed task${e.finalized === 1 ? '' : 's'} finalized`;
    case 'attached':
      return `Attached: ${describeAttachedProcess(e.process)} (${e.process.script})`;
    case 'detached':
      return describeDetach(e);
    default:
      return null;
  }
}

/** Whose tasks an event is about: the built-in server's, or an attached Python process's. */
export type EventSource = 'engine' | 'python';

/**
 * An attached process's events where the engine's wording would say what its policy did: the Python
 * program's own code decided that, so only the facts are printed. Undefined: the engine's wording fits.
 */
function describePythonEvent(e: EngineEvent): string | null | undefined {
  switch (e.kind) {
    case 'accepted':
      if (e.peerAddress === '' && e.task)
        return `Task ${e.taskId} created: ${e.task.name} (${e.task.coroutine})`;
      return `Got a connection from ${e.peerAddress}:${e.peerPort} (task ${e.taskId}${e.task ? `, ${e.task.name}` : ''})`;
    case 'completed':
      return `Task ${e.taskId} returned`;
    case 'failed':
      return `Task ${e.taskId} raised ${e.error.name}: ${e.error.message}${e.dangling ? '; its connection is still open' : ''}`;
    case 'unretrieved':
      return `Task exception was never retrieved (task ${e.taskId}${e.via === 'shutdown' ? ', at exit' : ''})\n${e.error.stack}`;
    default:
      return undefined;
  }
}

/**
 * Where CPython's server writes a line: warnings, tracebacks and error logs to stderr (asyncio's
 * "never retrieved" warning and `logging.exception` both go there), its `print`s to stdout.
 */
export function streamOf(e: EngineEvent): 'out' | 'err' {
  switch (e.kind) {
    case 'unretrieved':
      return 'err';
    case 'failed':
      return POLICIES[e.policy].exception === 'logged' ? 'err' : 'out';
    case 'gc-run':
      return e.available ? 'out' : 'err';
    default:
      return 'out';
  }
}

/** The fixed listing's `print('got data!')`, once per read a `received` event covers. */
function gotData(e: ReceivedEvent): string {
  return Array.from({ length: e.reads }, () => `got data! (task ${e.taskId})`).join('\n');
}

/**
 * How batches are printed: `human` as the article's server log, `json` as NDJSON, `quiet` nothing but
 * warnings. Warnings go to `err`: a bind beyond loopback in every format, events dropped under load
 * unless quiet.
 */
export type PrintFormat = 'human' | 'json' | 'quiet';

export interface PrintOptions {
  /** Human format: one `got data!` line per read, as the article's fixed listing prints. */
  verbose?: boolean;
}

/**
 * Prints each batch in `format`, warns about an echo server reachable from other machines, and says when
 * detail was dropped under load.
 */
export function createBatchPrinter(
  format: PrintFormat,
  out: LineWriter,
  err: LineWriter,
  options: PrintOptions = {},
): (batch: EventBatch) => void {
  // From an attach until the built-in server starts again, the events are a Python process's.
  let source: EventSource = 'engine';
  return (batch) => {
    if (batch.dropped > 0 && format !== 'quiet')
      err(`(${batch.dropped} events not shown: output could not keep up; counters stay exact)`);
    for (const e of batch.events) {
      if (e.kind === 'attached') source = 'python';
      else if (e.kind === 'listening') source = 'engine';
      if (format === 'json') out(JSON.stringify(e));
      else if (format === 'human') {
        if (e.kind === 'received' && options.verbose) out(gotData(e));
        const line = describeEvent(e, source);
        if (line !== null) (streamOf(e) === 'err' ? err : out)(line);
      }
      if (e.kind === 'listening') {
        const warning = beyondLoopbackWarning(e.settings.host);
        if (warning !== null) err(`Warning: ${warning}`);
      }
    }
  };
}
