/**
 * The load generator's contract: what a run is asked to do (bounded in every dimension), what it
 * reports while it runs and what it concludes. Plain data, so the same objects cross a worker
 * boundary, a command line (`--json`) and, later, the app's session protocol.
 */
import * as v from 'valibot';
import { type Checked, checkCrashWord, checkHost } from '../command-validation';
import { describeValue, isRecord } from '../untrusted-value';

/** Most connections one run opens. */
export const MAX_LOAD_CONNECTIONS = 20_000;
/** Most messages a second one connection sends. */
export const MAX_LOAD_RATE = 1000;
/** Largest message, in bytes (its newline included). */
export const MAX_LOAD_SIZE = 64 * 1024;
/** Longest run, in seconds. */
export const MAX_LOAD_DURATION_S = 600;
/** Most messages one run may send in all (connections × rate × duration). */
export const MAX_LOAD_MESSAGES = 50_000_000;

/** What one run does. */
export interface LoadOptions {
  host: string;
  port: number;
  /** Connections opened, spread evenly over the ramp-up. */
  connections: number;
  /** Messages a second each connection sends (0: connections only, no traffic). */
  rate: number;
  /** Bytes per message, its trailing newline included. */
  size: number;
  /** Seconds from the first connection to the end of sending. */
  durationS: number;
  /** Seconds over which the connections are opened (at most the duration). */
  rampS: number;
  /** Fraction (0 to 1) of connections that send the crash word, each at a random moment. */
  crashFraction: number;
  /** The line the crashing connections send. */
  crashWord: string;
  /** Seed of the random choices (which connections crash, and when), so a run can be repeated. */
  seed: number;
}

/** Defaults for everything but the target. */
export const LOAD_DEFAULTS: Omit<LoadOptions, 'host' | 'port'> = {
  connections: 100,
  rate: 10,
  size: 64,
  durationS: 10,
  rampS: 1,
  crashFraction: 0,
  crashWord: 'boom',
  seed: 1,
};

/** Latency percentiles in milliseconds; null when nothing was measured. */
export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** What became of the connections that sent the crash word. */
export interface CrashTally {
  /** Connections chosen to crash. */
  planned: number;
  /** Crash words actually sent (a connection that failed first sends none). */
  sent: number;
  /** The server closed the connection after the crash word (EOF or reset): the `handled` lesson. */
  closed: number;
  /** Still open and silent at the end: the crash left the connection dangling (`unhandled`, `retained`). */
  dangling: number;
  /** The crash word was echoed back: the server did not crash on it (another crash word?). */
  echoed: number;
}

/** Errors by kind (`ECONNREFUSED`, `ECONNRESET`, `closed by server`, `connect timeout`, …) and a few examples. */
export interface ErrorTally {
  count: number;
  byKind: Record<string, number>;
  examples: string[];
}

/** Running figures, sent about once a second. */
export interface LoadProgress {
  elapsedMs: number;
  phase: 'ramping' | 'running' | 'draining';
  /** Connections open now. */
  open: number;
  /** Messages echoed back byte-exactly so far. */
  roundTrips: number;
  /** Round trips a second over the last interval. */
  roundTripsPerSecond: number;
  /** Latency over the last interval. */
  latencyMs: LatencyFigures | null;
  errors: number;
  mismatches: number;
  crashes: CrashTally;
}

/** Why a run ended. */
export type LoadEnd = 'duration' | 'stopped';

/** The conclusion of a run. */
export interface LoadSummary {
  options: LoadOptions;
  endedBy: LoadEnd;
  /** From the first connection attempt to the end of draining. */
  elapsedMs: number;
  /** Seconds of sending (the duration, or less when stopped). */
  sendingMs: number;
  connections: { requested: number; opened: number; failed: number; peakOpen: number };
  messages: {
    sent: number;
    /** Echoed back in full, byte-exactly. */
    echoed: number;
    /** Not sent because the connection still had too much unanswered (the server lagged). */
    skipped: number;
    /** Not sent because they fell more than a second behind schedule (the generator itself was held up). */
    late: number;
    /** Sent but never echoed by the end (on connections that did not crash or fail). */
    unanswered: number;
  };
  bytes: { sent: number; echoed: number };
  /** Round trips a second while sending. */
  roundTripsPerSecond: number;
  latencyMs: LatencyFigures | null;
  errors: ErrorTally;
  /** Echoes that differed from what was sent (the connection is then closed). */
  mismatches: { count: number; examples: string[] };
  crashes: CrashTally;
}

/** Worker → host messages. */
export type LoadWorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'summary'; summary: LoadSummary }
  | { type: 'error'; message: string };

/** Bounds of one numeric option: its name in messages, its range, and whether it must be whole. */
export interface LoadNumberBounds {
  label: string;
  min: number;
  max: number;
  whole: boolean;
}

type NumericOption = {
  [K in keyof LoadOptions]: LoadOptions[K] extends number ? K : never;
}[keyof LoadOptions];

/**
 * Every numeric option's bounds, once: the schema below is built from them, and the app's Load form
 * reads them for its fields' limits, so the CLI and the app refuse exactly the same values.
 */
export const LOAD_NUMBER_BOUNDS = {
  port: { label: 'port', min: 1, max: 65535, whole: true },
  connections: { label: 'connections', min: 1, max: MAX_LOAD_CONNECTIONS, whole: true },
  rate: { label: 'rate', min: 0, max: MAX_LOAD_RATE, whole: false },
  size: { label: 'size', min: 1, max: MAX_LOAD_SIZE, whole: true },
  durationS: { label: 'duration', min: 0.1, max: MAX_LOAD_DURATION_S, whole: false },
  rampS: { label: 'ramp', min: 0, max: MAX_LOAD_DURATION_S, whole: false },
  crashFraction: { label: 'crash fraction', min: 0, max: 1, whole: false },
  seed: { label: 'seed', min: 0, max: 2 ** 32 - 1, whole: true },
} as const satisfies Record<NumericOption, LoadNumberBounds>;

/** How a number is written on the command line and in the Load form (no exponents, no hex, no spaces). */
export const LOAD_NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

function bounded({ label, min, max, whole }: LoadNumberBounds) {
  const message = whole
    ? `${label} must be a whole number from ${min} to ${max}`
    : `${label} must be a number from ${min} to ${max}`;
  return v.pipe(
    v.number(message),
    whole ? v.integer(message) : v.finite(message),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
}

const B = LOAD_NUMBER_BOUNDS;

/** Each option's check. */
export const LOAD_ENTRIES = {
  host: v.custom<string>((h) => checkHost(h).ok, 'host is not a valid host name or IP address'),
  port: bounded(B.port),
  connections: bounded(B.connections),
  rate: bounded(B.rate),
  size: bounded(B.size),
  durationS: bounded(B.durationS),
  rampS: bounded(B.rampS),
  crashFraction: bounded(B.crashFraction),
  crashWord: v.custom<string>(
    (w) => checkCrashWord(w).ok,
    'crash word must be 1 to 64 characters on one line',
  ),
  seed: bounded(B.seed),
} satisfies { [K in keyof LoadOptions]-?: v.GenericSchema<unknown, LoadOptions[K]> };

/** The one bound across options: messages a run may send in all. */
export const LOAD_BUDGET_MESSAGE = `connections × rate × duration must be at most ${MAX_LOAD_MESSAGES} messages`;

export function withinLoadBudget(o: Pick<LoadOptions, 'connections' | 'rate' | 'durationS'>): boolean {
  return o.connections * o.rate * o.durationS <= MAX_LOAD_MESSAGES;
}

/** The budget as a pipe step, for every schema of a run's options or of a request for one. */
export function loadBudget<T extends Pick<LoadOptions, 'connections' | 'rate' | 'durationS'>>() {
  return v.check<T, string>(withinLoadBudget, LOAD_BUDGET_MESSAGE);
}

const LOAD_SCHEMA = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, 'load options must be an object'),
  v.strictObject(LOAD_ENTRIES, (issue) => `unknown load option ${describeValue(issue.input)}`),
  v.check((o) => o.rampS <= o.durationS, 'ramp must not be longer than the duration'),
  loadBudget(),
);

/**
 * Fills defaults into a partial set of options (host 127.0.0.1, port 8000, a ramp of at most a second
 * and at most a quarter of the duration) and checks every bound. Never throws.
 */
export function checkLoadOptions(input: Partial<Record<keyof LoadOptions, unknown>>): Checked<LoadOptions> {
  const durationS = typeof input.durationS === 'number' ? input.durationS : LOAD_DEFAULTS.durationS;
  const filled: Record<string, unknown> = {
    host: '127.0.0.1',
    port: 8000,
    ...LOAD_DEFAULTS,
    rampS: Math.min(LOAD_DEFAULTS.rampS, durationS / 4),
  };
  for (const [key, value] of Object.entries(input)) if (value !== undefined) filled[key] = value;
  const result = v.safeParse(LOAD_SCHEMA, filled, { abortEarly: true, abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: { code: 'invalid-args', message: result.issues[0].message } };
}

/** The app's load generator as its page sees it: no run yet, a run going on, or how the last one ended. */
export type LoadStatus =
  | { state: 'idle' }
  | {
      state: 'running';
      /** Counts the app's runs from 1. */
      run: number;
      options: LoadOptions;
      /** The newest figures; null until the first report (about half a second in). */
      progress: LoadProgress | null;
      /** Stop was asked for: sending has stopped, echoes in flight are drained. */
      stopping: boolean;
    }
  | { state: 'ended'; run: number; options: LoadOptions; progress: LoadProgress | null; summary: LoadSummary }
  | {
      state: 'failed';
      run: number;
      options: LoadOptions;
      progress: LoadProgress | null;
      /** Why the run has no summary (its worker failed, or overran its deadline). */
      message: string;
    };

/** Every state a LoadStatus can be in. */
export const LOAD_STATES = Object.keys({
  idle: true,
  running: true,
  ended: true,
  failed: true,
} satisfies Record<LoadStatus['state'], true>) as LoadStatus['state'][];
