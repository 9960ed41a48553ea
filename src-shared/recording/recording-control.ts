/**
 * The Record toggle's contract: what a host that keeps a recordings folder reports about its recording
 * (the UI shows it), and how a page reads a recording the host made (in chunks, over the same session
 * channel on every host, so the desktop app needs no file access of its own).
 */

/** Why the last recording stopped. */
export type RecordingStopReason =
  /** The user turned Record off (or the host quit). */
  | 'user'
  /** The file reached its size limit; a notice line ends it. */
  | 'size-limit'
  /** Writing failed (disk full, folder gone); the file holds what was written before. */
  | 'error';

/** The host's recording: the current one while `active`, else the last one (if any) this host made. */
export interface RecordingStatus {
  /** Whether every event is being written now. */
  active: boolean;
  /** The file's name inside the recordings folder; null before the first recording. */
  file: string | null;
  /** Its full path on the host's machine, for people (desktop: where to find it). */
  path: string | null;
  /** The folder recordings go to. */
  folder: string;
  /** When it began, on the events' clock (epoch ms); null before the first recording. */
  startedAt: number | null;
  /** When it ended; null while active. */
  endedAt: number | null;
  /** How long it has run (until now while active), by the host's clock. */
  elapsedMs: number;
  /** Event lines written (or waiting to be). */
  events: number;
  /** Bytes in the file. */
  bytes: number;
  /** The size limit it is held to. */
  limitBytes: number;
  /** Events that came after it stopped early (limit, error) and are not in it. */
  eventsNotRecorded: number;
  /** Why it stopped; null while active or before the first. */
  stoppedBy: RecordingStopReason | null;
  /** The size-limit notice or the write error, in words; null otherwise. */
  message: string | null;
  /** Whether a server was already running when it began (tasks accepted before are not in it). */
  startedMidRun: boolean;
}

/** One piece of a recording file, cut after a whole line (or a whole character for an overlong line). */
export interface RecordingChunk {
  text: string;
  /** Byte offset to ask for next; equals `size` at the end. */
  nextOffset: number;
  /** The file's size in bytes when this chunk was read. */
  size: number;
}

/** Bytes read per `readRecording`: small enough for one session message, large enough to be quick. */
export const RECORDING_CHUNK_BYTES = 256 * 1024;

/** The names the host gives recordings (and the only names `readRecording` and the download accept). */
export const RECORDING_FILE_PATTERN = /^echoscope-[0-9A-Za-z-]{1,80}\.ndjson$/;

/**
 * Where the browser host serves a recording it made as a download, with the page's token:
 * `GET /recordings/<file>?token=…` (Content-Disposition: attachment).
 */
export const RECORDINGS_DOWNLOAD_PATH = '/recordings/';
