import { reduceClient } from '../../src-shared/client-view';
import type { ClientView, WarningView } from '../../src-shared/commands';
import { countEvent, warningFromEvent, zeroCounters } from '../../src-shared/counters';
import type { AcceptedEvent, Counters, EngineEvent, TaskEvent } from '../../src-shared/events';
import {
  EndedTaskQueue,
  evictClosedClients,
  pushBounded,
  RETENTION,
  type RetentionLimits,
} from '../../src-shared/retention';
import {
  applyTaskEvent,
  cloneTaskView,
  createTaskView,
  isConnectionOpen,
  type TaskView,
} from '../../src-shared/task-view';
import { PackedRecords } from './packed-records';
import { decodeTaskRecord, encodeTaskRecord, type TaskRecordData } from './task-record-codec';

/**
 * Events a task keeps unfolded. A short-lived connection (accepted, data, its end, closed) stays under
 * it and never has a view built; a long-lived one folds every FOLD_EVERY events, so what it keeps is
 * its view within the retention limits plus fewer than FOLD_EVERY events.
 */
const FOLD_EVERY = 16;
/**
 * How long a closed, ended task with a folded view (a long-lived one, slow to pack), or one a Stop
 * closed, waits to be packed, and how many are packed in one turn: long enough that a Stop of 10,000
 * live, busy tasks (under a second) is over before their packing starts.
 */
const PACK_DELAY_MS = 1_000;
const PACK_SLICE = 500;

/**
 * What the engine keeps of one task: its events themselves (the objects the batches carry), folded into
 * a view with the shared reducer only when a view is asked for (a snapshot), plus the three facts that
 * counting and eviction need on every event. The views asked for are exactly the reducer's; keeping
 * events instead of updating a view per event spares every connection a view, its lifecycle entries and
 * their description strings, which most connections never show.
 */
class TaskRecord implements TaskRecordData {
  /** The fold of every event before `pending`; null until the first fold. */
  folded: TaskView | null = null;
  /** Events not folded yet, oldest first (the accepted event first while `folded` is null). */
  pending: TaskEvent[];
  running = true;
  socketOpen = true;
  leftDangling = false;
  /**
   * Echoes since the last fold, summed rather than kept (one object fewer per connection for as long as
   * it is kept): in a view an echo only adds to bytesOut and messagesOut and sets lastActivityAt, which
   * matters only when it is the newest data event.
   */
  echoedBytes = 0;
  echoedSends = 0;
  /** Whether an echo came after every pending `received` event, and when the newest came. */
  echoIsNewest = false;
  echoLastAt = 0;

  constructor(accepted: AcceptedEvent) {
    this.pending = [accepted];
  }

  /** An ended task whose connection closed, as bytes to keep off the heap (see PackedRecords). */
  pack(): Buffer {
    return encodeTaskRecord(this);
  }

  /** Whether packing is cheap: nothing folded yet (a short-lived connection's few events). */
  get packsQuickly(): boolean {
    return this.folded === null;
  }

  /** The record `pack` wrote: ended, its connection closed (so whether it was left dangling no longer counts). */
  static unpack(bytes: Buffer): TaskRecord {
    const data = decodeTaskRecord(bytes);
    const record = new TaskRecord(data.pending[0] as AcceptedEvent);
    record.folded = data.folded;
    record.pending = data.pending;
    record.running = false;
    record.socketOpen = false;
    record.echoedBytes = data.echoedBytes;
    record.echoedSends = data.echoedSends;
    record.echoIsNewest = data.echoIsNewest;
    record.echoLastAt = data.echoLastAt;
    return record;
  }

  /** Takes the task's next event (the reducer's rules for the three facts kept). */
  add(e: Exclude<TaskEvent, AcceptedEvent>): void {
    switch (e.kind) {
      case 'completed':
      case 'cancelled':
        this.running = false;
        break;
      case 'failed':
        this.running = false;
        this.leftDangling = e.dangling;
        break;
      case 'closed':
        this.socketOpen = false;
        break;
      case 'received':
        this.echoIsNewest = false;
        break;
      case 'echoed':
        this.echoedBytes += e.bytes;
        this.echoedSends += e.sends;
        this.echoIsNewest = true;
        this.echoLastAt = e.at;
        return;
    }
    this.pending.push(e);
    if (this.pending.length >= FOLD_EVERY) {
      this.folded = this.foldInto(this.folded);
      this.pending.length = 0;
      this.echoedBytes = 0;
      this.echoedSends = 0;
      this.echoIsNewest = false;
    }
  }

  /** The task's view now: a fresh object that shares nothing mutable with what is kept. */
  view(): TaskView {
    return this.foldInto(this.folded && cloneTaskView(this.folded));
  }

  /** Applies the pending events to `view` (in place), or to a view of the accepted event when null. */
  private foldInto(view: TaskView | null): TaskView {
    const pending = this.pending;
    let i = 0;
    const into = view ?? createTaskView(pending[i++] as AcceptedEvent);
    for (; i < pending.length; i++) applyTaskEvent(into, pending[i] as Exclude<TaskEvent, AcceptedEvent>);
    into.bytesOut += this.echoedBytes;
    into.messagesOut += this.echoedSends;
    if (this.echoIsNewest) into.lastActivityAt = this.echoLastAt;
    return into;
  }
}

/** A kept task: its record, or, once it has ended and its connection has closed, its packed handle. */
type KeptRecord = TaskRecord | number;

/** Whether a kept task's connection is still open (a packed one's has closed). */
function isOpen(kept: KeptRecord): boolean {
  return typeof kept !== 'number' && isConnectionOpen(kept);
}

/** The kept tasks, read as views: each built when asked for, a fresh copy every time. */
export class TaskViews {
  constructor(
    private readonly records: ReadonlyMap<number, KeptRecord>,
    private readonly packed: PackedRecords,
  ) {}

  get size(): number {
    return this.records.size;
  }

  get(taskId: number): TaskView | undefined {
    const kept = this.records.get(taskId);
    return kept === undefined ? undefined : this.record(kept).view();
  }

  *values(): IterableIterator<TaskView> {
    for (const kept of this.records.values()) yield this.record(kept).view();
  }

  private record(kept: KeptRecord): TaskRecord {
    return typeof kept === 'number' ? TaskRecord.unpack(this.packed.get(kept)) : kept;
  }
}

/**
 * What the engine knows about the current run, derived from its own events with the shared reducers
 * and kept within the shared retention limits (the renderer keeps the same): the source of snapshots
 * and of the exact counters every batch carries.
 */
export class EngineState {
  readonly counters: Counters = zeroCounters();
  private readonly records = new Map<number, KeptRecord>();
  /**
   * Ended tasks whose connection closed (most of what is kept, and they get few more events), as bytes
   * outside the heap: thousands of them as objects slowed bulk transfer (see PackedRecords).
   */
  private readonly packed = new PackedRecords();
  readonly tasks = new TaskViews(this.records, this.packed);
  /**
   * Long-lived ended tasks whose connection closed, and those a Stop closed, packed a moment later in
   * slices rather than by the event that closed them: a Stop closes thousands at once, and packing a
   * folded view takes microseconds.
   */
  private toPack: number[] = [];
  private packTimer: NodeJS.Timeout | null = null;
  /** A Stop is under way: it closes every task at once, and their packing waits until it is over. */
  private stopping = false;
  readonly clients = new Map<number, ClientView>();
  readonly warnings: WarningView[] = [];
  private ended = new EndedTaskQueue();

  constructor(private readonly limits: RetentionLimits = RETENTION) {}

  private readonly forget = (kept: KeptRecord): void => {
    if (typeof kept === 'number') this.packed.delete(kept);
  };

  /** The task's record, taken back out of the packed ones when an event comes for it (rare). */
  private unpacked(taskId: number): TaskRecord | undefined {
    const kept = this.records.get(taskId);
    if (typeof kept !== 'number') return kept;
    const record = TaskRecord.unpack(this.packed.get(kept));
    this.packed.delete(kept);
    this.records.set(taskId, record);
    return record;
  }

  apply(e: EngineEvent): void {
    if ('taskId' in e) {
      const record = this.unpacked(e.taskId);
      countEvent(this.counters, e, record);
      if (e.kind === 'accepted') {
        this.records.set(e.taskId, new TaskRecord(e));
        return;
      }
      if (e.kind === 'unretrieved') {
        pushBounded(this.warnings, warningFromEvent(e), this.limits.warnings);
      }
      if (record) {
        const wasRunning = record.running;
        record.add(e);
        if (wasRunning && !record.running) {
          this.ended.push(e.taskId);
          this.ended.evict(this.records, this.limits.endedTasks, isOpen, this.forget);
        }
        if (!record.running && !record.socketOpen) {
          // Packed at once, its events still young (they die in the next scavenge rather than being
          // copied into the old generation), unless folding made it slow to pack or a Stop is closing
          // thousands of tasks in one go.
          if (!record.packsQuickly || this.stopping) this.schedulePack(e.taskId);
          else if (this.records.get(e.taskId) === record) this.pack(e.taskId, record);
        }
      }
      return;
    }
    countEvent(this.counters, e, undefined);
    if (e.kind === 'stopping') this.stopping = true;
    else if (e.kind === 'stopped') this.stopping = false;
    if ('clientId' in e) {
      const next = reduceClient(this.clients.get(e.clientId), e);
      if (next) this.clients.set(e.clientId, next);
      evictClosedClients(this.clients, this.limits.clients);
    }
  }

  /** Packs every task waiting to be packed now, not a moment later (for tests). */
  packNow(): void {
    while (this.toPack.length > 0) this.packSlice();
  }

  private schedulePack(taskId: number): void {
    this.toPack.push(taskId);
    if (this.packTimer === null) this.packTimer = setTimeout(this.packLater, PACK_DELAY_MS).unref();
  }

  private readonly packLater = (): void => {
    this.packSlice();
    this.packTimer = this.toPack.length > 0 ? setTimeout(this.packLater, 0).unref() : null;
  };

  /**
   * Packs the next PACK_SLICE tasks waiting, those still kept as ended, closed records: not forgotten,
   * packed already (a task unpacked for a later event is queued again) or replaced by a new task with
   * the same id since.
   */
  private packSlice(): void {
    const slice = this.toPack.splice(0, PACK_SLICE);
    for (const taskId of slice) {
      const kept = this.records.get(taskId);
      if (kept instanceof TaskRecord && !kept.running && !kept.socketOpen) this.pack(taskId, kept);
    }
  }

  /** Replaces a kept task's record by its packed handle. */
  private pack(taskId: number, record: TaskRecord): void {
    this.records.set(taskId, this.packed.put(record.pack()));
  }

  /** A fresh run forgets everything but keeps nothing stale. */
  reset(): void {
    Object.assign(this.counters, zeroCounters());
    this.records.clear();
    this.packed.clear();
    this.toPack = [];
    if (this.packTimer !== null) clearTimeout(this.packTimer);
    this.packTimer = null;
    this.stopping = false;
    this.clients.clear();
    this.warnings.length = 0;
    this.ended = new EndedTaskQueue();
  }
}
