/**
 * The recording format: NDJSON, one header line, then one engine event a line (exactly as the engine
 * emitted it), optionally ended by one notice line. Plain JSON-safe data, read back by the same schemas
 * in Node (the CLI) and in the browser (the renderer's replay).
 */

import type { AttachState } from '../attached-process';
import type { ServerPhase } from '../commands';
import type { EngineEvent, ServerSettings } from '../events';

/** The header's `format` value: what makes line 1 an Echoscope recording. */
export const RECORDING_FORMAT = 'echoscope-recording';

/**
 * Bumped whenever the file layout changes incompatibly; a reader refuses a newer version by name.
 * Additive, optional header fields (`runAtStart`) do not bump it: this version reads files with and
 * without them, and older readers (whose header schema drops keys it does not know) still read such a
 * file, only replaying a mid-run recording as it was before the field existed (the server Stopped).
 */
export const RECORDING_VERSION = 1;

/**
 * The run a recording began in the middle of (the Record toggle while a server listens or a Python
 * process is attached): the state its replay folds from, since the events that set it (`listening`,
 * `attached`) came before the file. Its settings are the header's `settings`.
 */
export interface RecordingRunAtStart {
  /** The server's phase when recording began (`idle` with `attached`: a Python process only). */
  phase: ServerPhase;
  /** The port it was bound to, or null. */
  boundPort: number | null;
  /** The attached Python process at that moment, if any. */
  attached?: AttachState;
  /** The run's Events counter at that moment (events before the file), so the replay's counter matches live. */
  eventsBefore: number;
}

/** The first line of every recording. */
export interface RecordingHeader {
  /** Always RECORDING_FORMAT. */
  format: typeof RECORDING_FORMAT;
  /** The layout version the file was written with (RECORDING_VERSION). */
  version: number;
  /** The event contract version of the event lines: EVENT_SCHEMA_VERSION when written, any of READABLE_EVENT_SCHEMAS when read. */
  eventSchema: number;
  /** When recording began, on the events' clock (`at`, epoch milliseconds): the replay's time zero. */
  startedAt: number;
  /** The same moment as a wall-clock ISO 8601 string, for people. */
  startedAtIso: string;
  /** The settings the server was started with, when known at the start (each `listening` event has its own). */
  settings: ServerSettings | null;
  /** The size limit the writer enforced, in bytes (the notice line included). */
  limitBytes: number;
  /** What wrote the file, e.g. `echoscope serve`. */
  recorder: string;
  /** Present only when recording began mid-run (optional, additive: see RECORDING_VERSION). */
  runAtStart?: RecordingRunAtStart;
}

/** Why the recording ended on purpose. A file without a notice was cut off (the process was killed). */
export type RecordingEnding =
  /** The recorder was closed normally (the server stopped, the app quit). */
  | 'end'
  /** The size limit was reached: events after `at` were not recorded. */
  | 'size-limit';

/** The optional last line: how and when the recording ended. */
export interface RecordingNotice {
  notice: RecordingEnding;
  /** When it ended, on the events' clock. */
  at: number;
  /** Event lines written before this notice. */
  events: number;
  /** One line for people, e.g. "Recording stopped at its 100 MiB size limit". */
  message: string;
}

/** A problem with one line of a file that was otherwise read; the line is left out, nothing else. */
export interface RecordingProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

/** A recording as read back: the header, every valid event in file order, and what was left out. */
export interface Recording {
  header: RecordingHeader;
  /** Every event line that passed its schema, in order (`seq` increasing, `at` non-decreasing). */
  events: EngineEvent[];
  /** The notice line, or null when the file was cut off without one. */
  ending: RecordingNotice | null;
  /** Lines left out, first ones first (at most MAX_REPORTED_PROBLEMS; `problemCount` counts them all). */
  problems: RecordingProblem[];
  problemCount: number;
}

/** Problems kept with their message; beyond this only the count grows. */
export const MAX_REPORTED_PROBLEMS = 100;

/** Default size limit of a recording: large enough for minutes of a busy server, small enough to replay. */
export const DEFAULT_RECORDING_LIMIT_BYTES = 100 * 1024 * 1024;

/** Largest file opened (CLI, page, desktop File → Open): twice the default limit, so every recording the writer made fits. */
export const MAX_RECORDING_FILE_BYTES = 2 * DEFAULT_RECORDING_LIMIT_BYTES;

/** Whether a parsed line is the notice rather than an event (events carry `kind`, notices `notice`). */
export function isNoticeLine(value: Record<string, unknown>): boolean {
  return 'notice' in value && !('kind' in value);
}

/**
 * Where the browser host in replay mode (`echoscope web --replay FILE`) serves the checked recording,
 * as NDJSON, with the page's token: `GET /recording?token=…`. Outside replay mode it answers 204 (no
 * content): the page asks at load, and "no recording" is then its answer, not an error.
 */
export const REPLAY_PATH = '/recording';

/** The response header naming the replayed file (URI-encoded), for the replay bar. */
export const REPLAY_FILE_HEADER = 'X-Echoscope-Recording';

/**
 * The response header carrying the lines the host left out of the file (the served text holds only
 * checked lines): URI-encoded JSON `{ count, problems }`, the first REPLAY_HEADER_PROBLEMS of them.
 */
export const REPLAY_PROBLEMS_HEADER = 'X-Echoscope-Recording-Problems';

/** Problems named in REPLAY_PROBLEMS_HEADER (each message cut to 200 characters); the rest are counted. */
export const REPLAY_HEADER_PROBLEMS = 10;

/** The value of REPLAY_PROBLEMS_HEADER for `recording`. */
export function problemsHeader(recording: Pick<Recording, 'problems' | 'problemCount'>): string {
  const problems = recording.problems
    .slice(0, REPLAY_HEADER_PROBLEMS)
    .map((p) => ({ line: p.line, message: p.message.slice(0, 200) }));
  return encodeURIComponent(JSON.stringify({ count: recording.problemCount, problems }));
}
