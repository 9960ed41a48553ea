import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';
import { type EngineEvent, EVENT_SCHEMA_VERSION, type ServerSettings } from '../../src-shared/events';
import {
  DEFAULT_RECORDING_LIMIT_BYTES,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordingEnding,
  type RecordingHeader,
  type RecordingNotice,
  type RecordingRunAtStart,
} from '../../src-shared/recording/recording-format';
import type { EventBus } from '../core/event-bus';
import { monotonicNow } from '../core/monotonic-clock';

export interface RecordingOptions {
  /** The file to create; an existing file is never overwritten. */
  path: string;
  /** Settings of the run being recorded, when known at the start. */
  settings: ServerSettings | null;
  /** What is recording, for the header (`echoscope serve`). */
  recorder: string;
  /** The run recording begins in the middle of, for the header; absent when it begins before any run. */
  runAtStart?: RecordingRunAtStart;
  /** Most bytes the file may hold, its notice line included; default 100 MiB. */
  limitBytes?: number;
  /** How long a line may wait in memory before it is written (a kill loses at most this much). */
  flushIntervalMs?: number;
  /** How often written lines are forced to the disk (fdatasync), so a power loss loses little more. */
  syncIntervalMs?: number;
  /** Called once when the size limit is reached (the notice is already in the file). */
  onLimit?: (notice: RecordingNotice) => void;
  /** Called once when writing failed (disk full, I/O error); recording stops, nothing is thrown. */
  onError?: (error: Error) => void;
}

/** Smallest limit accepted: the header and the notice must fit. */
export const MIN_RECORDING_LIMIT_BYTES = 4096;
/** Room kept for the notice line under the limit. */
const NOTICE_RESERVE_BYTES = 512;
/** Lines buffered beyond this are written at once, whatever the timer says. */
const FLUSH_BYTES = 256 * 1024;

/** Why a recording file could not be created, in words a user can act on. */
export class RecordingOpenError extends Error {}

function openError(path: string, error: NodeJS.ErrnoException): RecordingOpenError {
  switch (error.code) {
    case 'EEXIST':
      return new RecordingOpenError(
        `${path} already exists: choose another file (a recording is never overwritten)`,
      );
    case 'ENOENT':
      return new RecordingOpenError(`Cannot create ${path}: its directory does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new RecordingOpenError(`Cannot create ${path}: permission denied`);
    case 'EISDIR':
      return new RecordingOpenError(`Cannot record to ${path}: it is a directory`);
    default:
      return new RecordingOpenError(`Cannot create ${path}: ${error.message}`);
  }
}

/**
 * Writes every event to an NDJSON file behind a header line. Append-only, and every write hands the
 * kernel whole lines, so a killed process leaves complete lines (at most its last one torn, which the
 * reader leaves out by name). Lines wait at most `flushIntervalMs` in memory; written lines are synced
 * to the disk every `syncIntervalMs` off the event loop. At the size limit a notice line ends the file
 * and recording stops; a write error stops it too. It never throws once open, and never blocks for long.
 */
export class RecordingWriter {
  private fd: number | null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private unsynced = false;
  private syncing: Promise<void> = Promise.resolve();
  private readonly limit: number;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly syncTimer: NodeJS.Timeout;
  private unfollow: (() => void) | null = null;
  /** Event lines accepted (written or waiting to be). */
  eventsRecorded = 0;
  /** Events that came after recording stopped (limit or error). */
  eventsNotRecorded = 0;
  /** Why recording stopped early, if it did. */
  stoppedBy: 'size-limit' | 'error' | null = null;

  private constructor(
    fd: number,
    readonly path: string,
    private readonly options: RecordingOptions,
  ) {
    this.fd = fd;
    this.limit = Math.max(MIN_RECORDING_LIMIT_BYTES, options.limitBytes ?? DEFAULT_RECORDING_LIMIT_BYTES);
    this.flushTimer = setInterval(() => this.flush(), options.flushIntervalMs ?? 50);
    this.syncTimer = setInterval(() => this.sync(), options.syncIntervalMs ?? 1000);
    this.flushTimer.unref();
    this.syncTimer.unref();
  }

  /** Creates the file (never over an existing one) and writes its header; throws RecordingOpenError. */
  static open(options: RecordingOptions): RecordingWriter {
    let fd: number;
    try {
      fd = openSync(options.path, 'ax', 0o644);
    } catch (error) {
      throw openError(options.path, error as NodeJS.ErrnoException);
    }
    const writer = new RecordingWriter(fd, options.path, options);
    const startedAt = monotonicNow();
    const header: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      eventSchema: EVENT_SCHEMA_VERSION,
      startedAt,
      startedAtIso: new Date(startedAt).toISOString(),
      settings: options.settings,
      limitBytes: writer.limit,
      recorder: options.recorder,
      // Only when set: a recording begun before the run (`serve --record`) keeps the header it always had.
      ...(options.runAtStart ? { runAtStart: options.runAtStart } : {}),
    };
    writer.append(`${JSON.stringify(header)}\n`);
    writer.flush();
    if (writer.stoppedBy === 'error') {
      writer.stopTimers();
      throw new RecordingOpenError(`Cannot write to ${options.path}`);
    }
    return writer;
  }

  /** Bytes in the file once everything accepted is written. */
  get bytes(): number {
    return this.written + this.pendingBytes;
  }

  /** Whether events are still being recorded. */
  get recording(): boolean {
    return this.fd !== null && this.stoppedBy === null;
  }

  /**
   * Records every event `bus` emits from now on. Every event, not batches: batches may drop detail.
   * After a stop (limit, error) events are only counted; close() unsubscribes.
   */
  follow(bus: EventBus): void {
    this.unfollow?.();
    this.unfollow = bus.onEvent((e) => this.record(e));
  }

  /** Appends one event line (or counts it, once recording has stopped). */
  record(e: EngineEvent): void {
    if (!this.recording) {
      this.eventsNotRecorded++;
      return;
    }
    const line = `${JSON.stringify(e)}\n`;
    const size = Buffer.byteLength(line);
    if (this.bytes + size + NOTICE_RESERVE_BYTES > this.limit) {
      this.eventsNotRecorded++;
      this.end(
        'size-limit',
        `Recording stopped at its size limit of ${this.limit} bytes: later events are not in it`,
      );
      return;
    }
    this.append(line);
    this.eventsRecorded++;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Writes what is buffered, an end notice, syncs and closes. Idempotent. */
  async close(): Promise<void> {
    if (this.recording) this.end('end', 'Recording ended');
    this.stopTimers();
    this.unfollow?.();
    this.unfollow = null;
    await this.syncing;
  }

  private append(line: string): void {
    this.pending.push(line);
    this.pendingBytes += Buffer.byteLength(line);
  }

  /** Hands every buffered line to the kernel, whole lines only. */
  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
    try {
      for (let offset = 0; offset < data.length; ) offset += writeSync(this.fd, data, offset);
      this.written += data.length;
      this.unsynced = true;
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private sync(): void {
    if (this.fd === null || !this.unsynced) return;
    this.unsynced = false;
    const fd = this.fd;
    this.syncing = this.syncing.then(() => new Promise<void>((resolve) => fdatasync(fd, () => resolve())));
  }

  private end(ending: RecordingEnding, message: string): void {
    if (ending === 'size-limit') this.stoppedBy = 'size-limit';
    const notice: RecordingNotice = {
      notice: ending,
      at: monotonicNow(),
      events: this.eventsRecorded,
      message,
    };
    this.append(`${JSON.stringify(notice)}\n`);
    this.flush();
    this.closeFile();
    if (this.stoppedBy === 'size-limit') this.options.onLimit?.(notice);
  }

  private fail(error: Error): void {
    if (this.stoppedBy === 'error') return;
    this.stoppedBy = 'error';
    this.pending = [];
    this.pendingBytes = 0;
    this.closeFile();
    this.options.onError?.(new Error(`Recording to ${this.path} stopped: ${error.message}`));
  }

  private closeFile(): void {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    this.stopTimers();
    // After any sync in flight, so the descriptor is not closed under it; off the event loop.
    this.syncing = this.syncing.then(
      () =>
        new Promise<void>((resolve) =>
          fdatasync(fd, () => {
            closeSync(fd);
            resolve();
          }),
        ),
    );
  }

  private stopTimers(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.syncTimer);
  }
}

/** Creates the file and records every event of `bus` from now on (see RecordingWriter). */
export function recordBus(bus: EventBus, options: RecordingOptions): RecordingWriter {
  const writer = RecordingWriter.open(options);
  writer.follow(bus);
  return writer;
}
