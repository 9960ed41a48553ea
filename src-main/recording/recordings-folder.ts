import { mkdirSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttachState } from '../../src-shared/attached-process';
import type { CommandResult, ServerStatus } from '../../src-shared/commands';
import type { ServerSettings } from '../../src-shared/events';
import {
  RECORDING_CHUNK_BYTES,
  RECORDING_FILE_PATTERN,
  type RecordingChunk,
  type RecordingStatus,
  type RecordingStopReason,
} from '../../src-shared/recording/recording-control';
import {
  DEFAULT_RECORDING_LIMIT_BYTES,
  type RecordingRunAtStart,
} from '../../src-shared/recording/recording-format';
import type { EventBus } from '../core/event-bus';
import { monotonicNow } from '../core/monotonic-clock';
import { RecordingOpenError, type RecordingWriter, recordBus } from './recording-writer';

/** What a host tells its recordings folder. */
export interface RecordingsFolderOptions {
  /** Where recordings go; created on the first recording. */
  dir: string;
  /** What records, for the header (`echoscope web`, `Echoscope desktop`). */
  recorder: string;
  /** The running server's settings, for the header (null while idle). */
  settings: () => ServerSettings | null;
  /**
   * The run going on now (see runAtStart), or undefined when none is: a recording that starts then misses
   * the events before it, so its header carries the state they had set.
   */
  runAtStart: () => RecordingRunAtStart | undefined;
  /** Size limit of each recording; default 100 MiB. */
  limitBytes?: number;
  /** Most bytes one `read` returns; default RECORDING_CHUNK_BYTES. */
  chunkBytes?: number;
}

/**
 * The run a recording beginning now is in the middle of: a server not idle, or a Python process attached
 * (the status, the attached process and the run's Events counter, as the live views show them); undefined
 * when there is none.
 */
export function runAtStart(
  status: ServerStatus,
  attached: AttachState | undefined,
  eventsBefore: number,
): RecordingRunAtStart | undefined {
  if (status.phase === 'idle' && !attached?.connected) return undefined;
  const run: RecordingRunAtStart = { phase: status.phase, boundPort: status.boundPort, eventsBefore };
  if (attached) run.attached = attached;
  return run;
}

/** Recordings this host made and can still serve back; older ones stay on disk, unlisted. */
const KEPT_RECORDINGS = 100;

const refuse = (code: string, message: string): CommandResult<never> => ({
  ok: false,
  error: { code, message },
});

/** A file name for a recording begun now, unique in `taken` (the same millisecond twice gets `-2`). */
function recordingName(now: number, taken: (name: string) => boolean): string {
  const base = `echoscope-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  let name = `${base}.ndjson`;
  for (let n = 2; taken(name); n++) name = `${base}-${n}.ndjson`;
  return name;
}

/**
 * The Record toggle, host side: records every event of the bus (with the same writer as `serve
 * --record`, so never a tail and never what a slow page dropped) into a new file in one folder, one
 * recording at a time; reports its state; and reads back, by name, only the recordings it made itself.
 */
export class RecordingsFolder {
  private writer: RecordingWriter | null = null;
  private last: RecordingStatus;
  /** Name → path of recordings made here, oldest first. */
  private readonly made = new Map<string, string>();
  private readonly limitBytes: number;

  constructor(
    private readonly bus: EventBus,
    private readonly options: RecordingsFolderOptions,
  ) {
    this.limitBytes = options.limitBytes ?? DEFAULT_RECORDING_LIMIT_BYTES;
    this.last = {
      active: false,
      file: null,
      path: null,
      folder: options.dir,
      startedAt: null,
      endedAt: null,
      elapsedMs: 0,
      events: 0,
      bytes: 0,
      limitBytes: this.limitBytes,
      eventsNotRecorded: 0,
      stoppedBy: null,
      message: null,
      startedMidRun: false,
    };
  }

  /** Begins a new recording; an error (folder cannot be made, already recording) in words. */
  async start(): Promise<CommandResult<RecordingStatus>> {
    // One that stopped at its limit still counts what it missed until it is closed.
    if (this.writer && !this.writer.recording) await this.stop();
    if (this.writer)
      return refuse('already-recording', `Already recording to ${this.last.path}: stop it first`);
    try {
      mkdirSync(this.options.dir, { recursive: true });
    } catch (error) {
      return refuse(
        'recording-folder',
        `Cannot create the recordings folder ${this.options.dir}: ${(error as Error).message}`,
      );
    }
    const startedAt = monotonicNow();
    const file = recordingName(startedAt, (name) => this.made.has(name));
    const path = join(this.options.dir, file);
    // Read and subscribed in the same turn, so no event falls between the state and the first line.
    const run = this.options.runAtStart();
    const startedMidRun = run !== undefined;
    let writer: RecordingWriter;
    try {
      writer = recordBus(this.bus, {
        path,
        settings: this.options.settings(),
        ...(run ? { runAtStart: run } : {}),
        recorder: this.options.recorder,
        limitBytes: this.limitBytes,
        onLimit: (notice) => this.ended('size-limit', notice.message),
        onError: (error) => this.ended('error', error.message),
      });
    } catch (error) {
      if (error instanceof RecordingOpenError) return refuse('recording-file', error.message);
      throw error;
    }
    this.writer = writer;
    this.made.set(file, path);
    if (this.made.size > KEPT_RECORDINGS) this.made.delete(this.made.keys().next().value!);
    this.last = {
      ...this.last,
      active: true,
      file,
      path,
      startedAt,
      endedAt: null,
      events: 0,
      bytes: writer.bytes,
      eventsNotRecorded: 0,
      stoppedBy: null,
      message: null,
      startedMidRun,
    };
    return { ok: true, value: this.status() };
  }

  /** Ends the recording (an end notice, synced, closed) and reports what it holds. */
  async stop(): Promise<CommandResult<RecordingStatus>> {
    const writer = this.writer;
    if (!writer) return refuse('not-recording', 'Not recording');
    this.writer = null;
    const stoppedEarly = !writer.recording;
    await writer.close();
    this.last = { ...this.last, ...this.counts(writer) };
    if (!stoppedEarly) this.ended('user', null);
    return { ok: true, value: this.status() };
  }

  /** The current recording, or the last one. */
  status(): RecordingStatus {
    const { startedAt, endedAt } = this.last;
    const elapsedMs = startedAt === null ? 0 : Math.max(0, (endedAt ?? monotonicNow()) - startedAt);
    // After an early stop the writer still counts the events it missed, until it is closed.
    const counts = this.writer ? this.counts(this.writer) : {};
    return { ...this.last, ...counts, elapsedMs };
  }

  /** Reads one chunk of a recording this host made (cut after a whole line), from byte `offset`. */
  async read(file: string, offset: number): Promise<CommandResult<RecordingChunk>> {
    const path = this.pathOf(file);
    if (!path) return refuse('unknown-recording', `${file} is not a recording this host made`);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      return refuse('recording-file', `Cannot read ${path}: ${(error as Error).message}`);
    }
    try {
      const { size } = await handle.stat();
      const start = Math.min(offset, size);
      const buffer = Buffer.alloc(Math.min(this.options.chunkBytes ?? RECORDING_CHUNK_BYTES, size - start));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      const end = cutAt(buffer.subarray(0, bytesRead), start + bytesRead >= size);
      return {
        ok: true,
        value: { text: buffer.toString('utf8', 0, end), nextOffset: start + end, size },
      };
    } catch (error) {
      return refuse('recording-file', `Cannot read ${path}: ${(error as Error).message}`);
    } finally {
      await handle.close();
    }
  }

  /** The path of a recording this host made, by its file name; null for any other name. */
  pathOf(file: string): string | null {
    if (!RECORDING_FILE_PATTERN.test(file)) return null;
    return this.made.get(file) ?? null;
  }

  /** Its size in bytes now, for a download's Content-Length; null when it is gone. */
  async sizeOf(file: string): Promise<number | null> {
    const path = this.pathOf(file);
    if (!path) return null;
    try {
      return (await stat(path)).size;
    } catch {
      return null;
    }
  }

  /** At quit: ends a running recording so its file has its end notice. */
  async close(): Promise<void> {
    if (this.writer) await this.stop();
  }

  private counts(writer: RecordingWriter): Partial<RecordingStatus> {
    return {
      events: writer.eventsRecorded,
      bytes: writer.bytes,
      eventsNotRecorded: writer.eventsNotRecorded,
    };
  }

  private ended(reason: RecordingStopReason, message: string | null): void {
    this.last = {
      ...this.last,
      ...(this.writer ? this.counts(this.writer) : {}),
      active: false,
      endedAt: monotonicNow(),
      stoppedBy: reason,
      message,
    };
  }
}

/**
 * Where to cut a chunk: after its last newline, so every chunk is whole lines; a chunk with none (a line
 * longer than a chunk) is cut before a UTF-8 sequence it would split. At the file's end, all of it.
 */
function cutAt(bytes: Buffer, atEnd: boolean): number {
  if (atEnd) return bytes.length;
  const newline = bytes.lastIndexOf(0x0a);
  if (newline !== -1) return newline + 1;
  let end = bytes.length;
  // Step back over continuation bytes (10xxxxxx) to the lead byte, and leave the lead byte out too.
  while (end > 0 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
  return end > 0 && bytes[end - 1]! >= 0xc0 ? end - 1 : bytes.length;
}
