import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServerSettings } from '../../src-shared/events';
import { DEFAULT_RECORDING_LIMIT_BYTES } from '../../src-shared/recording/recording-format';
import type { EventBus } from '../core/event-bus';
import {
  MIN_RECORDING_LIMIT_BYTES,
  RecordingOpenError,
  type RecordingWriter,
  recordBus,
} from '../recording/recording-writer';
import { UsageError } from './strict-options';

/** `--record FILE [--record-limit MB]`: where to record every event, and the file's size limit. */
export interface RecordOption {
  path: string;
  limitBytes: number;
}

export const RECORD_USAGE = '[--record FILE.ndjson] [--record-limit 100]';
export const RECORD_HELP = `  --record FILE writes every event to FILE as NDJSON (a new file; never overwritten), up to
  --record-limit MiB (default ${DEFAULT_RECORDING_LIMIT_BYTES / 1024 / 1024}); a notice line ends it at the limit.`;

const MIB = 1024 * 1024;
/** Largest limit accepted: a recording is replayed in memory. */
const MAX_LIMIT_MIB = 1024;

/** Parses the two options' raw values (either may be absent); a limit without a file is an error. */
export function parseRecordOption(path: string | undefined, limit: string | undefined): RecordOption | null {
  if (path === undefined) {
    if (limit !== undefined) throw new UsageError('--record-limit needs --record FILE');
    return null;
  }
  if (path.trim() === '') throw new UsageError('--record needs a file name');
  return { path: resolve(path), limitBytes: parseRecordLimit(limit) };
}

/** `--record-limit MiB` as bytes (the default when absent); a bad value is a UsageError naming it. */
export function parseRecordLimit(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_RECORDING_LIMIT_BYTES;
  const mib = /^\d+(\.\d+)?$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(mib * MIB >= MIN_RECORDING_LIMIT_BYTES && mib <= MAX_LIMIT_MIB))
    throw new UsageError(
      `--record-limit must be a number of MiB from 0.004 to ${MAX_LIMIT_MIB}, got "${limit}"`,
    );
  return Math.floor(mib * MIB);
}

/** A running recording and what to say when it ends. */
export interface CliRecording {
  writer: RecordingWriter;
  /** Closes the file (end notice, sync) and says on `notice` what it holds. */
  close(): Promise<void>;
  /** Closes and removes the file: the command never ran, so it recorded nothing worth keeping. */
  discard(): Promise<void>;
}

/**
 * Starts recording `bus` for a command; reports the size limit and write errors on `err` as they happen.
 * Throws UsageError-like one-liners (RecordingOpenError) when the file cannot be created.
 */
export function startCliRecording(
  bus: EventBus,
  option: RecordOption,
  settings: ServerSettings | null,
  recorder: string,
  notice: (line: string) => void,
  err: (line: string) => void,
): CliRecording {
  const writer = recordBus(bus, {
    path: option.path,
    settings,
    recorder,
    limitBytes: option.limitBytes,
    onLimit: (n) => err(`${recorder}: ${n.message} (${option.path}, ${n.events} events)`),
    onError: (e) => err(`${recorder}: ${e.message}`),
  });
  return {
    writer,
    async close() {
      await writer.close();
      const lost =
        writer.eventsNotRecorded > 0 ? `; ${writer.eventsNotRecorded} later events were not recorded` : '';
      notice(`Recorded ${writer.eventsRecorded} events to ${option.path} (${writer.bytes} bytes${lost})`);
    },
    async discard() {
      await writer.close();
      await rm(option.path, { force: true });
    },
  };
}

export { RecordingOpenError };
