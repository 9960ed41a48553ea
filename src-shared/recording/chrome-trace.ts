import { describeAttachedProcess, describeDetach } from '../attached-process';
/**
 * A recording as Chrome Trace Event JSON (the JSON Object Format that Perfetto and chrome://tracing
 * open): one track (thread) per connection task with a slice for its whole life and slices for its waits
 * at `recv` and `send`, instant events for a crash, a cancellation and a never-retrieved warning, a slice
 * for the time a failed task's connection dangled, a server track, and a counter track of live tasks.
 */

import { countEvent, zeroCounters } from '../counters';
import {
  type AttachedProcess,
  type Counters,
  type EngineEvent,
  type ServerSettings,
  startsRun,
} from '../events';
import { applyTaskEvent, createTaskView, type TaskView } from '../task-view';
import type { Recording, RecordingHeader } from './recording-format';

/** One Trace Event. `ts` and `dur` are microseconds from the recording's start. */
export interface TraceEvent {
  name: string;
  /** `X` complete slice, `i` instant, `C` counter, `M` metadata. */
  ph: 'X' | 'i' | 'C' | 'M';
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  /** Duration of an `X` slice. */
  dur?: number;
  /** Scope of an `i` instant: `t` its thread, `p` its process, `g` global. */
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

/** The JSON Object Format: events plus metadata about where they came from. */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

/** The echo server's process: tid 0 is the server itself, every other tid is the task of that id. */
export const SERVER_PID = 1;
/** The built-in clients' process: tid is the client id. */
export const CLIENTS_PID = 2;
export const SERVER_TID = 0;

/** A slice still open on a track: its start (µs) and what it is. */
interface OpenSlice {
  name: string;
  ts: number;
  cat: string;
  args?: Record<string, unknown>;
}

interface TaskTrack {
  life: OpenSlice;
  wait: OpenSlice | null;
  dangling: OpenSlice | null;
  /** The task's view (the shared reducer), for its totals and to count it like the engine. */
  view: TaskView;
}

/** The server track's slice of a run on the built-in server. */
function listeningSlice(settings: ServerSettings, port: number, ts: number): OpenSlice {
  return { name: `listening on ${settings.host}:${port}`, ts, cat: 'server', args: { ...settings, port } };
}

/** The server track's slice of an attached Python process. */
function attachedSlice(process: AttachedProcess, ts: number): OpenSlice {
  return {
    name: `attached: ${describeAttachedProcess(process)}`,
    ts,
    cat: 'server',
    args: { ...process, argv: process.argv.join(' ') },
  };
}

/** The run a recording begun mid-run started in (its header's runAtStart), open from ts 0; else none. */
function runningAtStart(header: RecordingHeader): OpenSlice | null {
  const run = header.runAtStart;
  if (run?.attached?.connected) return attachedSlice(run.attached.process, 0);
  if (run?.phase === 'listening' && header.settings && run.boundPort !== null)
    return listeningSlice(header.settings, run.boundPort, 0);
  return null;
}

/** Converts a recording; `ts` 0 is the header's `startedAt`. Pure and linear in the events. */
export function recordingToTrace(recording: Recording): ChromeTrace {
  const t0 = recording.header.startedAt;
  const us = (at: number): number => Math.max(0, Math.round((at - t0) * 1000));
  const out: TraceEvent[] = [];
  const tasks = new Map<number, TaskTrack>();
  const clients = new Map<number, OpenSlice>();
  let counters: Counters = zeroCounters();
  let serving: OpenSlice | null = runningAtStart(recording.header);
  let stopping: OpenSlice | null = null;
  let shown = { live: -1, dangling: -1 };

  const meta = (name: string, pid: number, tid: number, args: Record<string, unknown>): void => {
    out.push({ name, ph: 'M', ts: 0, pid, tid, args });
  };
  const close = (slice: OpenSlice, at: number, pid: number, tid: number, extra?: Record<string, unknown>) => {
    const ts = slice.ts;
    const args = extra || slice.args ? { ...slice.args, ...extra } : undefined;
    out.push({
      name: slice.name,
      ph: 'X',
      cat: slice.cat,
      ts,
      dur: Math.max(0, us(at) - ts),
      pid,
      tid,
      ...(args ? { args } : {}),
    });
  };
  const instant = (
    name: string,
    at: number,
    pid: number,
    tid: number,
    cat: string,
    args?: Record<string, unknown>,
  ) => {
    out.push({
      name,
      ph: 'i',
      s: tid === SERVER_TID ? 'p' : 't',
      cat,
      ts: us(at),
      pid,
      tid,
      ...(args ? { args } : {}),
    });
  };
  const showCounters = (at: number): void => {
    if (counters.live === shown.live && counters.dangling === shown.dangling) return;
    shown = { live: counters.live, dangling: counters.dangling };
    out.push({ name: 'tasks', ph: 'C', ts: us(at), pid: SERVER_PID, tid: SERVER_TID, args: { ...shown } });
  };

  meta('process_name', SERVER_PID, SERVER_TID, { name: 'Echoscope echo server' });
  meta('process_sort_index', SERVER_PID, SERVER_TID, { sort_index: 0 });
  meta('thread_name', SERVER_PID, SERVER_TID, { name: 'server' });
  meta('thread_sort_index', SERVER_PID, SERVER_TID, { sort_index: -1 });

  /** Tasks seen accepted in this run: a recording begun mid-run leaves out the tasks from before it. */
  const seen = new Set<number>();
  for (const e of recording.events) {
    if (startsRun(e)) {
      counters = zeroCounters();
      seen.clear();
    }
    if ('taskId' in e) {
      if (e.kind === 'accepted') seen.add(e.taskId);
      else if (!seen.has(e.taskId)) continue;
      const track = tasks.get(e.taskId);
      countEvent(counters, e, track?.view);
      if (e.kind === 'accepted') {
        const name = `task ${e.taskId} ${e.peerAddress}:${e.peerPort}`;
        meta('thread_name', SERVER_PID, e.taskId, { name });
        meta('thread_sort_index', SERVER_PID, e.taskId, { sort_index: e.taskId });
        tasks.set(e.taskId, {
          life: { name: `task ${e.taskId}`, ts: us(e.at), cat: 'task' },
          wait: null,
          dangling: null,
          view: createTaskView(e),
        });
      } else if (e.kind === 'unretrieved') {
        // Often long after the task's track closed (a collection, or stop): it needs only the task's id.
        instant('Task exception was never retrieved', e.at, SERVER_PID, e.taskId, 'unretrieved', {
          via: e.via,
          error: `${e.error.name}: ${e.error.message}`,
          stack: e.error.stack,
        });
      } else if (track) {
        applyTaskEvent(track.view, e);
        traceTaskEvent(e, track);
        // Only open tasks are held, so memory follows the connections open at once, not the recording.
        if (!track.view.socketOpen && track.view.state !== 'running') tasks.delete(e.taskId);
      }
      showCounters(e.at);
      continue;
    }
    countEvent(counters, e, undefined);
    if ('clientId' in e) {
      if (e.kind === 'client-opened') {
        meta('thread_name', CLIENTS_PID, e.clientId, { name: `client ${e.clientId} (port ${e.localPort})` });
        clients.set(e.clientId, {
          name: `client ${e.clientId}`,
          ts: us(e.at),
          cat: 'client',
          args: { localPort: e.localPort },
        });
      } else if (e.kind === 'client-closed') {
        const open = clients.get(e.clientId);
        if (open) close(open, e.at, CLIENTS_PID, e.clientId, { closed: e.reason });
        clients.delete(e.clientId);
      }
      continue;
    }
    switch (e.kind) {
      case 'listening':
        serving = listeningSlice(e.settings, e.port, us(e.at));
        break;
      case 'stopping':
        stopping = { name: 'stopping', ts: us(e.at), cat: 'server', args: { live: e.live } };
        break;
      case 'stopped':
        if (stopping)
          close(stopping, e.at, SERVER_PID, SERVER_TID, { cancelled: e.cancelled, forced: e.forced });
        if (serving) close(serving, e.at, SERVER_PID, SERVER_TID);
        stopping = null;
        serving = null;
        break;
      case 'attached':
        serving = attachedSlice(e.process, us(e.at));
        break;
      case 'detached':
        if (serving) close(serving, e.at, SERVER_PID, SERVER_TID, { detached: describeDetach(e) });
        serving = null;
        break;
      case 'gc-run':
        instant('garbage collection', e.at, SERVER_PID, SERVER_TID, 'gc', {
          available: e.available,
          finalized: e.finalized,
        });
        break;
    }
    showCounters(e.at);
  }

  // What was still open when the recording ended is cut at its last moment and marked so.
  const endAt = recording.ending?.at ?? recording.events.at(-1)?.at ?? t0;
  const unfinished = { unfinished: 'still open when the recording ended' };
  for (const [taskId, track] of tasks) {
    if (track.wait) close(track.wait, endAt, SERVER_PID, taskId, unfinished);
    if (track.view.state === 'running')
      close(track.life, endAt, SERVER_PID, taskId, { ...unfinished, ...totals(track.view) });
    if (track.dangling) close(track.dangling, endAt, SERVER_PID, taskId, unfinished);
  }
  for (const [clientId, open] of clients) close(open, endAt, CLIENTS_PID, clientId, unfinished);
  if (stopping) close(stopping, endAt, SERVER_PID, SERVER_TID, unfinished);
  if (serving) close(serving, endAt, SERVER_PID, SERVER_TID, unfinished);
  if (clients.size > 0 || recording.events.some((e) => 'clientId' in e)) {
    meta('process_name', CLIENTS_PID, SERVER_TID, { name: 'Echoscope built-in clients' });
    meta('process_sort_index', CLIENTS_PID, SERVER_TID, { sort_index: 1 });
  }

  return {
    traceEvents: out,
    displayTimeUnit: 'ms',
    otherData: {
      source: recording.header.recorder,
      recordingStartedAt: recording.header.startedAtIso,
      events: recording.events.length,
      ending: recording.ending?.notice ?? 'cut off (no end notice)',
    },
  };

  function traceTaskEvent(
    e: Exclude<Extract<EngineEvent, { taskId: number }>, { kind: 'accepted' | 'unretrieved' }>,
    track: TaskTrack,
  ): void {
    const tid = e.taskId;
    const endWait = (): void => {
      if (track.wait) close(track.wait, e.at, SERVER_PID, tid);
      track.wait = null;
    };
    switch (e.kind) {
      case 'parked':
        endWait();
        track.wait = { name: `await ${e.awaitPoint}`, ts: us(e.at), cat: 'await' };
        break;
      case 'completed':
        endWait();
        close(track.life, e.at, SERVER_PID, tid, { outcome: 'completed', ...totals(track.view) });
        break;
      case 'failed':
        endWait();
        close(track.life, e.at, SERVER_PID, tid, {
          outcome: 'failed',
          policy: e.policy,
          ...totals(track.view),
        });
        instant(`crash: ${e.error.name}: ${e.error.message}`, e.at, SERVER_PID, tid, 'crash', {
          awaitPoint: e.awaitPoint,
          policy: e.policy,
          dangling: e.dangling,
          stack: e.error.stack,
        });
        if (e.dangling)
          track.dangling = { name: 'dangling (open, nobody reading)', ts: us(e.at), cat: 'dangling' };
        break;
      case 'cancelled':
        endWait();
        close(track.life, e.at, SERVER_PID, tid, { outcome: 'cancelled', ...totals(track.view) });
        instant(`cancelled at ${e.awaitPoint}`, e.at, SERVER_PID, tid, 'cancel', {
          reason: e.reason,
          awaitPoint: e.awaitPoint,
        });
        break;
      case 'closed':
        if (track.dangling)
          close(track.dangling, e.at, SERVER_PID, tid, { closed: e.reason, reset: e.reset });
        track.dangling = null;
        break;
    }
  }
}

function totals(view: TaskView): Record<string, number | string> {
  return {
    peer: `${view.peerAddress}:${view.peerPort}`,
    bytesIn: view.bytesIn,
    bytesOut: view.bytesOut,
    readsIn: view.messagesIn,
    sendsOut: view.messagesOut,
  };
}

/** The trace as JSON text in pieces (one event a line), so a large one is written without one huge string. */
export function* chromeTraceJson(trace: ChromeTrace): Generator<string> {
  yield '{"displayTimeUnit":"ms",';
  yield `"otherData":${JSON.stringify(trace.otherData)},\n"traceEvents":[\n`;
  let first = true;
  for (const event of trace.traceEvents) {
    yield `${first ? '' : ',\n'}${JSON.stringify(event)}`;
    first = false;
  }
  yield '\n]}\n';
}
