import {
  type AcceptedEvent,
  AWAIT_POINTS,
  CANCEL_REASONS,
  CLOSE_REASONS,
  type TaskEvent,
} from '../../src-shared/events';
import type { TaskView } from '../../src-shared/task-view';

/** What the engine keeps of an ended task whose connection closed (TaskRecord's fields). */
export interface TaskRecordData {
  folded: TaskView | null;
  /** The accepted event first when `folded` is null. */
  pending: TaskEvent[];
  echoedBytes: number;
  echoedSends: number;
  echoIsNewest: boolean;
  echoLastAt: number;
}

/** The first byte of an encoded record: how the rest is written. */
const JSON_FORMAT = 0;
const EVENTS_FORMAT = 1;

/** Kinds the events format writes, by their code (the byte that starts each event). */
const EVENT_CODES = ['accepted', 'parked', 'received', 'completed', 'cancelled', 'closed'] as const;
type CodedKind = (typeof EVENT_CODES)[number];
const CODE_OF = Object.fromEntries(EVENT_CODES.map((kind, code) => [kind, code])) as Record<
  CodedKind,
  number
>;

/**
 * Writes records into one reused buffer, grown when a record needs more: each encoding is copied out
 * (into PackedRecords) before the next one starts.
 */
class ScratchWriter {
  bytes = Buffer.allocUnsafe(4096);
  /** Numbers go through a DataView: a builtin, fast before the JIT has warmed (a Stop packs thousands). */
  private view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
  at = 0;

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.at + n));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }

  u8(value: number): void {
    this.room(1);
    this.bytes[this.at++] = value;
  }

  f64(value: number): void {
    this.room(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  /** UTF-8 with its byte length first (a UTF-16 unit takes at most three bytes). */
  str(value: string): void {
    this.room(4 + 3 * value.length);
    const length = this.bytes.write(value, this.at + 4, 'utf8');
    this.view.setUint32(this.at, length, true);
    this.at += 4 + length;
  }
}

const scratch = new ScratchWriter();

/**
 * Encodes `data`: a short-lived task (nothing folded yet, the lifecycle and data events a connection
 * usually has) field by field as numbers and strings, anything else as JSON. The result is a view of a
 * shared buffer, valid until the next call. Field by field is several times cheaper than JSON for what
 * most kept tasks are, and makes no short-lived string for V8 to collect.
 */
export function encodeTaskRecord(data: TaskRecordData): Buffer {
  scratch.at = 0;
  if (data.folded === null && writeEvents(data)) return scratch.bytes.subarray(0, scratch.at);
  scratch.at = 0;
  const text = JSON.stringify([
    data.folded,
    data.pending,
    data.echoedBytes,
    data.echoedSends,
    data.echoIsNewest,
    data.echoLastAt,
  ]);
  scratch.u8(JSON_FORMAT);
  scratch.room(3 * text.length);
  scratch.at += scratch.bytes.write(text, scratch.at, 'utf8');
  return scratch.bytes.subarray(0, scratch.at);
}

/** The record `encodeTaskRecord` wrote. */
export function decodeTaskRecord(bytes: Buffer): TaskRecordData {
  if (bytes[0] === EVENTS_FORMAT) return readEvents(new Reader(bytes));
  const [folded, pending, echoedBytes, echoedSends, echoIsNewest, echoLastAt] = JSON.parse(
    bytes.toString('utf8', 1),
  ) as [TaskView | null, TaskEvent[], number, number, boolean, number];
  return { folded, pending, echoedBytes, echoedSends, echoIsNewest, echoLastAt };
}

/** Writes the events format; false (the scratch half-written) when an event is not one it writes whole. */
function writeEvents(data: TaskRecordData): boolean {
  const { pending } = data;
  const taskId = pending[0]!.taskId;
  const w = scratch;
  w.u8(EVENTS_FORMAT);
  w.f64(taskId);
  w.f64(data.echoedBytes);
  w.f64(data.echoedSends);
  w.u8(data.echoIsNewest ? 1 : 0);
  w.f64(data.echoLastAt);
  w.f64(pending.length);
  for (const e of pending) {
    if (e.taskId !== taskId) return false;
    switch (e.kind) {
      case 'accepted':
        if (e.task !== undefined) return false;
        writeHead(e);
        w.str(e.peerAddress);
        w.f64(e.peerPort);
        w.f64(e.localPort);
        break;
      case 'parked':
        if (e.awaitDetail !== undefined) return false;
        writeHead(e);
        if (!writeMember(AWAIT_POINTS, e.awaitPoint)) return false;
        break;
      case 'received':
        writeHead(e);
        w.f64(e.bytes);
        w.f64(e.reads);
        w.str(e.preview);
        break;
      case 'completed':
        writeHead(e);
        break;
      case 'cancelled':
        if (e.awaitDetail !== undefined) return false;
        writeHead(e);
        if (!writeMember(AWAIT_POINTS, e.awaitPoint) || !writeMember(CANCEL_REASONS, e.reason)) return false;
        break;
      case 'closed':
        writeHead(e);
        if (!writeMember(CLOSE_REASONS, e.reason)) return false;
        w.u8(e.reset ? 1 : 0);
        break;
      default:
        return false;
    }
  }
  return true;
}

/** An event's code, sequence number and time. */
function writeHead(e: TaskEvent & { kind: CodedKind }): void {
  scratch.u8(CODE_OF[e.kind]);
  scratch.f64(e.seq);
  scratch.f64(e.at);
}

/** A value of a closed list as its index; false when it is not in the list. */
function writeMember<T>(list: readonly T[], value: T): boolean {
  const index = list.indexOf(value);
  if (index < 0) return false;
  scratch.u8(index);
  return true;
}

class Reader {
  at = 1;
  private readonly view: DataView;
  constructor(private readonly bytes: Buffer) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  u8(): number {
    return this.bytes[this.at++]!;
  }

  f64(): number {
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  str(): string {
    const length = this.view.getUint32(this.at, true);
    const start = this.at + 4;
    this.at = start + length;
    return this.bytes.toString('utf8', start, this.at);
  }
}

function readEvents(r: Reader): TaskRecordData {
  const taskId = r.f64();
  const echoedBytes = r.f64();
  const echoedSends = r.f64();
  const echoIsNewest = r.u8() === 1;
  const echoLastAt = r.f64();
  const count = r.f64();
  const pending: TaskEvent[] = [];
  for (let i = 0; i < count; i++) pending.push(readEvent(r, taskId));
  return { folded: null, pending, echoedBytes, echoedSends, echoIsNewest, echoLastAt };
}

/** One event, its fields in the order the engine writes them. */
function readEvent(r: Reader, taskId: number): TaskEvent {
  const kind = EVENT_CODES[r.u8()]!;
  const seq = r.f64();
  const at = r.f64();
  switch (kind) {
    case 'accepted': {
      const accepted: AcceptedEvent = {
        kind,
        taskId,
        peerAddress: r.str(),
        peerPort: r.f64(),
        localPort: r.f64(),
        seq,
        at,
      };
      return accepted;
    }
    case 'parked':
      return { kind, taskId, awaitPoint: AWAIT_POINTS[r.u8()]!, seq, at };
    case 'received':
      return { kind, taskId, bytes: r.f64(), reads: r.f64(), preview: r.str(), seq, at };
    case 'completed':
      return { kind, taskId, seq, at };
    case 'cancelled':
      return { kind, taskId, awaitPoint: AWAIT_POINTS[r.u8()]!, reason: CANCEL_REASONS[r.u8()]!, seq, at };
    case 'closed':
      return { kind, taskId, reason: CLOSE_REASONS[r.u8()]!, reset: r.u8() === 1, seq, at };
  }
}
