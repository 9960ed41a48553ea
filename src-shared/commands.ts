import type { AttachListener, AttachState } from './attached-process';
import type { Counters, EVENT_SCHEMA_VERSION, ServerSettings, UnretrievedVia } from './events';
import type { LoadStatus } from './load/load-contract';
import type { LoadRequest } from './load/load-request';
import type { RecordingChunk, RecordingStatus } from './recording/recording-control';
import type { TaskView } from './task-view';

/** Every phase of the server, in order (the recording header's schema checks against it). */
export const SERVER_PHASES = ['idle', 'starting', 'listening', 'stopping'] as const;
/** The server's lifecycle as a whole. */
export type ServerPhase = (typeof SERVER_PHASES)[number];

/** Where the server is now and with what settings. */
export interface ServerStatus {
  phase: ServerPhase;
  /** Settings of the current (or last) run; null before the first start. */
  settings: ServerSettings | null;
  /** Port actually bound while listening. */
  boundPort: number | null;
  /** Whether "Collect garbage now" can work in this runtime. */
  gcAvailable: boolean;
  /** The Python process whose tasks these are (attached, or exited), until the built-in server starts again. */
  attached?: AttachState;
  /** Where a probe can attach, while the host listens for one (absent or null: not listening). */
  attachListener?: AttachListener | null;
}

/** A never-retrieved warning, as the warnings panel lists it. */
export interface WarningView {
  seq: number;
  at: number;
  taskId: number;
  via: UnretrievedVia;
  message: string;
  stack: string;
}

/** A built-in client connection, as the client panel shows it. */
export interface ClientView {
  id: number;
  localPort: number;
  open: boolean;
  closeReason: 'eof' | 'reset' | 'local' | 'error' | null;
  bytesSent: number;
  bytesReceived: number;
  /** Base64 of the most recent echo received (bounded). */
  lastReceived: string;
}

/** Everything needed to rebuild a view from scratch, consistent as of `lastSeq`. */
export interface Snapshot {
  v: typeof EVENT_SCHEMA_VERSION;
  lastSeq: number;
  status: ServerStatus;
  counters: Counters;
  /** Live tasks and the most recent ended ones (bounded), oldest first. */
  tasks: TaskView[];
  warnings: WarningView[];
  clients: ClientView[];
}

/** What Stop reports. */
export interface StopReport {
  cancelled: number;
  forced: number;
  durationMs: number;
}

/** A command's failure, as data (errors never cross a transport as exceptions). */
export interface CommandError {
  /** Stable machine code, e.g. `port-in-use`, `invalid-args`, `not-running`. */
  code: string;
  /** One line a user can act on, e.g. "Port 8000 is already in use". */
  message: string;
}

/** Every command result: a value or a clear error. */
export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** Options for `start`; any omitted field takes its default. */
export type StartArgs = Partial<ServerSettings>;

/**
 * The typed command map: one entry per command, its arguments and its result value.
 * Every host validates `args` against this map before it touches the engine.
 */
export interface CommandMap {
  start: { args: StartArgs; result: ServerStatus };
  stop: { args: Record<string, never>; result: StopReport };
  cancelTask: { args: { taskId: number }; result: { cancelled: boolean } };
  closeConnection: { args: { taskId: number }; result: { closed: boolean } };
  collectGarbage: { args: Record<string, never>; result: { available: boolean; finalized: number } };
  snapshot: { args: Record<string, never>; result: Snapshot };
  openClients: { args: { count: number }; result: { clientIds: number[] } };
  /** `payload` is base64 of the bytes to send; `appendNewline` adds a \n after them (text notation). */
  sendClient: {
    args: { clientId: number; payload: string; appendNewline: boolean };
    result: { bytes: number };
  };
  sendCrashWord: { args: { clientId: number }; result: { bytes: number } };
  closeClient: { args: { clientId: number }; result: { closed: boolean } };
  /** A load run in a worker thread against the running server (one at a time); `loadStatus` follows it. */
  startLoad: { args: LoadRequest; result: LoadStatus };
  /** Ends the run early; its summary follows in `loadStatus`. */
  stopLoad: { args: Record<string, never>; result: LoadStatus };
  loadStatus: { args: Record<string, never>; result: LoadStatus };
  /** The Record toggle: every event from now on into a new file of the host's recordings folder. */
  startRecording: { args: Record<string, never>; result: RecordingStatus };
  stopRecording: { args: Record<string, never>; result: RecordingStatus };
  recordingStatus: { args: Record<string, never>; result: RecordingStatus };
  /** A chunk of a recording this host made, from byte `offset` (for Replay it and trace export). */
  readRecording: { args: { file: string; offset: number }; result: RecordingChunk };
  /** The Attach action: listen for a Python probe (loopback, the host's port) and say how to run one. */
  attach: { args: Record<string, never>; result: AttachListener };
}

export type CommandName = keyof CommandMap;
export type CommandArgs<K extends CommandName> = CommandMap[K]['args'];
export type CommandValue<K extends CommandName> = CommandMap[K]['result'];

/** The handler a host implements for every command (the engine facade does). */
export type CommandHandlers = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<CommandValue<K>>>;
};
