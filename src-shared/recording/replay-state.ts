import { foldAttachState } from '../attached-process';
/**
 * A recording folded up to a moment, into the state the live views use: a `Snapshot`, built with the
 * same reducers as the engine's own state (task views, counters, clients, warnings). A scrubber jumps
 * by folding to a time; playback moves a cursor forward and applies only the new events.
 */
import { reduceClient } from '../client-view';
import type { ClientView, ServerStatus, Snapshot, WarningView } from '../commands';
import { countEvent, warningFromEvent, zeroCounters } from '../counters';
import { type Counters, type EngineEvent, EVENT_SCHEMA_VERSION, startsRun } from '../events';
import { applyTaskEvent, cloneTaskView, createTaskView, type TaskView } from '../task-view';
import type { RecordingHeader } from './recording-format';

/** How many of `events` (sorted by `at`) happened at or before `at`: the index a fold to `at` stops at. */
export function eventCountAt(events: readonly EngineEvent[], at: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (events[mid]!.at <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}

const IDLE: ServerStatus = { phase: 'idle', settings: null, boundPort: null, gcAvailable: false };

/** What a fold starts from: for a recording begun mid-run, the run as its header says it was. */
export type ReplayStart = Pick<RecordingHeader, 'settings' | 'runAtStart'>;

/** The status before a recording's first event: idle, or the run it began in the middle of. */
function statusAtStart(start: ReplayStart | undefined): ServerStatus {
  const run = start?.runAtStart;
  if (!run) return IDLE;
  const status: ServerStatus = {
    ...IDLE,
    phase: run.phase,
    settings: start.settings,
    boundPort: run.boundPort,
  };
  if (run.attached) status.attached = run.attached;
  return status;
}

/**
 * The state after the first `position` events of a recording. Moving forward applies only the new
 * events; moving back folds again from the start (a fold is linear in the events, with no copies).
 * Every view is kept: a replay shows every task of the recording, not only the newest.
 */
export class ReplayCursor {
  private applied = 0;
  private counters: Counters = zeroCounters();
  private tasks = new Map<number, TaskView>();
  private clients = new Map<number, ClientView>();
  private warnings: WarningView[] = [];
  private status: ServerStatus;

  /** `start`: the recording's header, so one begun mid-run folds from the run it began in. */
  constructor(
    private readonly events: readonly EngineEvent[],
    private readonly start?: ReplayStart,
  ) {
    this.status = statusAtStart(start);
    this.counters.events = start?.runAtStart?.eventsBefore ?? 0;
  }

  /** Events applied so far. */
  get position(): number {
    return this.applied;
  }

  /** The exact counters now, without a snapshot's copies (read them; the cursor goes on changing them). */
  get currentCounters(): Readonly<Counters> {
    return this.counters;
  }

  /** Moves to the state including every event at or before `at` (on the events' clock). */
  seekTime(at: number): void {
    this.seek(eventCountAt(this.events, at));
  }

  /** Moves to the state after the first `position` events. */
  seek(position: number): void {
    const target = Math.max(0, Math.min(this.events.length, Math.floor(position)));
    if (target < this.applied) this.reset();
    while (this.applied < target) this.apply(this.events[this.applied++]!);
  }

  /** The state now, as a snapshot that shares nothing mutable with the cursor. */
  snapshot(): Snapshot {
    const last = this.applied > 0 ? this.events[this.applied - 1] : undefined;
    return {
      v: EVENT_SCHEMA_VERSION,
      lastSeq: last?.seq ?? 0,
      status: { ...this.status },
      counters: { ...this.counters },
      tasks: Array.from(this.tasks.values(), cloneTaskView),
      warnings: this.warnings.slice(),
      clients: [...this.clients.values()],
    };
  }

  private reset(): void {
    this.applied = 0;
    this.clearRun();
    this.status = statusAtStart(this.start);
    this.counters.events = this.start?.runAtStart?.eventsBefore ?? 0;
  }

  private clearRun(): void {
    this.counters = zeroCounters();
    this.tasks = new Map();
    this.clients = new Map();
    this.warnings = [];
  }

  /** As the engine's state applies an event; a new run (startsRun) starts from nothing, as there. */
  private apply(e: EngineEvent): void {
    if (startsRun(e)) this.clearRun();
    if ('taskId' in e) {
      const view = this.tasks.get(e.taskId);
      // A recording begun mid-run (the Record toggle) holds events of tasks accepted before it: the
      // views and counts cover the tasks it saw start, so nothing is counted twice or below zero.
      if (!view && e.kind !== 'accepted') {
        this.counters.events++;
        return;
      }
      countEvent(this.counters, e, view);
      if (e.kind === 'accepted') this.tasks.set(e.taskId, createTaskView(e));
      else if (view) applyTaskEvent(view, e);
      if (e.kind === 'unretrieved') this.warnings.push(warningFromEvent(e));
      return;
    }
    countEvent(this.counters, e, undefined);
    if ('clientId' in e) {
      const next = reduceClient(this.clients.get(e.clientId), e);
      if (next) this.clients.set(e.clientId, next);
      return;
    }
    switch (e.kind) {
      case 'listening':
        this.status = {
          ...this.status,
          phase: 'listening',
          settings: e.settings,
          boundPort: e.port,
          attached: foldAttachState(this.status.attached, e),
        };
        break;
      case 'attached':
      case 'detached':
        this.status = { ...this.status, attached: foldAttachState(this.status.attached, e) };
        break;
      case 'stopping':
        this.status = { ...this.status, phase: 'stopping' };
        break;
      case 'stopped':
        this.status = { ...this.status, phase: 'idle', boundPort: null };
        break;
    }
  }
}

/** The views as of `untilAt` (every event at or before it; default: the whole recording). */
export function foldRecording(
  events: readonly EngineEvent[],
  untilAt = Number.POSITIVE_INFINITY,
  start?: ReplayStart,
): Snapshot {
  const cursor = new ReplayCursor(events, start);
  cursor.seekTime(untilAt);
  return cursor.snapshot();
}
