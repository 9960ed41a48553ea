import type {
  CrashTally,
  ErrorTally,
  LoadEnd,
  LoadOptions,
  LoadProgress,
  LoadSummary,
} from '../../src-shared/load/load-contract';
import { LatencyHistogram } from './latency-histogram';
import { type ConnectionSink, LoadConnection, MAX_IN_FLIGHT_MESSAGES } from './load-connection';

export interface LoadRunSettings {
  /** Called about every `progressIntervalMs` while the run lasts. */
  onProgress?: (progress: LoadProgress) => void;
  progressIntervalMs?: number;
  /** How long the end waits for outstanding echoes (after the duration; a stop waits a quarter). */
  drainMs?: number;
  /** How long the end waits for connections to close before destroying them. */
  closeMs?: number;
}

/** A connection attempt not answered within this is an error. */
const CONNECT_TIMEOUT_MS = 5000;
/** A crashing connection waits at most this for its earlier echoes before sending the crash word anyway. */
const CRASH_WAIT_MS = 2000;
/**
 * A crash word the server has not answered within this (a close, or its echo) leaves its connection
 * counted as dangling; the end waits (within its drain limit) for younger ones.
 */
const CRASH_ANSWER_MS = 1000;
/** Sends more than this behind schedule are dropped (counted as late) rather than sent in a burst. */
const MAX_CATCH_UP_MS = 1000;
const TICK_MS = 5;
const MAX_EXAMPLES = 5;

/** A small, fast, seedable generator (mulberry32), so a run's random choices can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One load run, on the event loop it is started on (the runner starts it in a worker thread, away
 * from any server it measures): opens N connections over the ramp-up, sends each R messages a second
 * of B bytes for the duration, checks every echo byte-exactly and times it, has a fraction of the
 * connections send the crash word at a random moment, then drains, closes and sums up. Bounded: the
 * options are (see checkLoadOptions), each connection's unanswered data is, and so is the end.
 */
export class LoadGenerator {
  private readonly connections: LoadConnection[] = [];
  private readonly openAt: number[];
  private readonly crashAt = new Map<number, number>();
  private readonly total = new LatencyHistogram();
  private readonly interval = new LatencyHistogram();
  private readonly rng: () => number;
  private readonly crashWord: string;
  private readonly crashBytes: Buffer;
  private started = 0;
  private phase: LoadProgress['phase'] = 'ramping';
  private endedBy: LoadEnd = 'duration';
  private sendingMs = 0;
  private drainStarted = 0;
  private drainLimitMs = 0;
  private closing = false;
  private closeStarted = 0;
  private nextToOpen = 0;
  private open = 0;
  private peakOpen = 0;
  private opened = 0;
  private failedToOpen = 0;
  private sent = 0;
  private skipped = 0;
  private late = 0;
  private echoed = 0;
  private bytesSent = 0;
  private bytesEchoed = 0;
  private intervalEchoed = 0;
  private lastProgressAt = 0;
  private readonly errors: ErrorTally = { count: 0, byKind: {}, examples: [] };
  private readonly mismatches = { count: 0, examples: [] as string[] };
  private readonly crashes: CrashTally;
  private tick: NodeJS.Timeout | null = null;
  private progressTimer: NodeJS.Timeout | null = null;
  private finish: ((summary: LoadSummary) => void) | null = null;
  private unanswered = 0;

  constructor(
    readonly options: LoadOptions,
    private readonly settings: LoadRunSettings = {},
  ) {
    const n = options.connections;
    const rampMs = options.rampS * 1000;
    this.openAt = Array.from({ length: n }, (_, i) => (n === 1 ? 0 : (i * rampMs) / n));
    this.rng = random(options.seed);
    this.crashWord = options.crashWord;
    this.crashBytes = Buffer.from(options.crashWord);
    const crashing = Math.round(n * options.crashFraction);
    // A seeded shuffle picks which connections crash; each crashes between its start and 90% of the run.
    const ids = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const lastCrash = options.durationS * 1000 * 0.9;
    for (const id of ids.slice(0, crashing)) {
      const from = this.openAt[id]! + 50;
      this.crashAt.set(id, from + this.rng() * Math.max(0, lastCrash - from));
    }
    this.crashes = { planned: crashing, sent: 0, closed: 0, dangling: 0, echoed: 0 };
  }

  /** Runs to the end (the duration, or stop()); resolves with the summary, never rejects. */
  run(): Promise<LoadSummary> {
    this.started = performance.now();
    this.lastProgressAt = this.started;
    return new Promise((resolve) => {
      this.finish = resolve;
      this.tick = setInterval(() => this.step(), TICK_MS);
      if (this.settings.onProgress) {
        this.progressTimer = setInterval(
          () => this.settings.onProgress?.(this.progress()),
          this.settings.progressIntervalMs ?? 1000,
        );
      }
      this.step();
    });
  }

  /** Ends the run now: sending stops, echoes in flight get a short drain, then the summary. */
  stop(): void {
    if (this.phase !== 'draining') this.beginDrain('stopped');
  }

  private elapsed(now = performance.now()): number {
    return now - this.started;
  }

  private step(): void {
    const now = performance.now();
    const t = this.elapsed(now);
    if (this.phase === 'draining') {
      this.stepDrain(t);
      return;
    }
    if (t >= this.options.durationS * 1000) {
      this.beginDrain('duration');
      return;
    }
    while (this.nextToOpen < this.options.connections && this.openAt[this.nextToOpen]! <= t) this.openNext(t);
    if (this.nextToOpen >= this.options.connections && this.phase === 'ramping') this.phase = 'running';
    for (const conn of this.connections) {
      if (conn.state === 'connecting') {
        if (t - conn.openedAt > CONNECT_TIMEOUT_MS) {
          this.onError('connect timeout', `connection ${conn.id}: no answer within ${CONNECT_TIMEOUT_MS} ms`);
          conn.state = 'done';
          conn.destroy();
        }
        continue;
      }
      if (
        conn.crashAt !== null &&
        t >= conn.crashAt &&
        (conn.state === 'open' || conn.state === 'crashing')
      ) {
        this.sendCrash(conn, t, t - conn.crashAt > CRASH_WAIT_MS);
        continue;
      }
      if (conn.state === 'open' && this.options.rate > 0) this.sendDue(conn, t);
    }
  }

  /** Sends `conn`'s crash word once its echoes are in (or at once when `force`), and counts it. */
  private sendCrash(conn: LoadConnection, t: number, force: boolean): void {
    if (!conn.beginCrash(this.crashWord, force)) return;
    this.crashes.sent++;
    conn.crashSentAt = t;
  }

  private openNext(t: number): void {
    const id = this.nextToOpen++;
    const conn = new LoadConnection(
      id,
      this.options.host,
      this.options.port,
      t,
      this.crashAt.get(id) ?? null,
      this.sink(),
    );
    // Spread each connection's sends over the interval, so they do not all send in the same tick.
    conn.nextSendAt = -1;
    this.connections.push(conn);
  }

  private sendDue(conn: LoadConnection, t: number): void {
    const every = 1000 / this.options.rate;
    if (conn.nextSendAt < 0) conn.nextSendAt = t + this.rng() * every;
    if (t - conn.nextSendAt > MAX_CATCH_UP_MS) {
      const late = Math.floor((t - conn.nextSendAt) / every);
      this.late += late;
      conn.nextSendAt += late * every;
    }
    const batch: Buffer[] = [];
    for (; conn.nextSendAt <= t; conn.nextSendAt += every) {
      if (conn.inFlight + batch.length >= MAX_IN_FLIGHT_MESSAGES || !conn.canSend()) {
        this.skipped++;
        continue;
      }
      batch.push(this.message(conn));
    }
    if (batch.length === 0) return;
    // Timed from the write itself: a tick that serves thousands of connections must not count as latency.
    conn.send(batch, performance.now());
    this.sent += batch.length;
    this.bytesSent += batch.length * this.options.size;
  }

  /** `<connection>.<sequence> xxxx…\n`, exactly `size` bytes, never a line equal to the crash word. */
  private message(conn: LoadConnection): Buffer {
    const size = this.options.size;
    const buf = Buffer.alloc(size, 0x78);
    buf.write(`${conn.id}.${conn.sequence++} `, 0, size - 1, 'latin1');
    buf[size - 1] = 0x0a;
    if (size - 1 === this.crashBytes.length && buf.subarray(0, size - 1).equals(this.crashBytes))
      buf[0] = 0x23;
    return buf;
  }

  private beginDrain(endedBy: LoadEnd): void {
    this.phase = 'draining';
    this.endedBy = endedBy;
    const t = this.elapsed();
    this.sendingMs = Math.min(t, this.options.durationS * 1000);
    this.drainStarted = t;
    const drainMs = this.settings.drainMs ?? 2000;
    this.drainLimitMs = endedBy === 'stopped' ? drainMs / 4 : drainMs;
    // Every crash is planned before 90% of the run, but a machine too busy to reach a connection in
    // time (it opened late, or waited on its echoes) would leave some unsent: a run that ends by its
    // duration sends them now, so its crash count is the one asked for. A stopped run stops sending.
    if (endedBy === 'duration') {
      for (const conn of this.connections) {
        if (conn.crashAt !== null && (conn.state === 'open' || conn.state === 'crashing'))
          this.sendCrash(conn, t, true);
      }
    }
    for (const conn of this.connections) {
      if (conn.state === 'connecting') {
        conn.state = 'done';
        conn.destroy();
      }
    }
    this.stepDrain(t);
  }

  private stepDrain(t: number): void {
    if (!this.closing) {
      // Echoes in flight, and crash words too recent for the server's answer (a close) to be due yet:
      // a busy server's late close is not a connection left dangling.
      const waiting = this.connections.some(
        (c) =>
          ((c.state === 'open' || c.state === 'crashing') && c.inFlight > 0) ||
          (c.state === 'crashed' && t - c.crashSentAt < CRASH_ANSWER_MS),
      );
      if (waiting && t - this.drainStarted < this.drainLimitMs) return;
      this.closing = true;
      this.closeStarted = t;
      for (const conn of this.connections) {
        if (conn.state === 'crashed') this.crashes.dangling++;
        if (conn.state === 'open' || conn.state === 'crashing') this.unanswered += conn.unanswered();
        conn.end();
      }
    }
    const closed = this.open === 0;
    if (!closed && t - this.closeStarted < (this.settings.closeMs ?? 1000)) return;
    for (const conn of this.connections) conn.destroy();
    this.end(t);
  }

  private end(t: number): void {
    if (this.tick) clearInterval(this.tick);
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.tick = null;
    this.progressTimer = null;
    const seconds = this.sendingMs / 1000;
    this.finish?.({
      options: this.options,
      endedBy: this.endedBy,
      elapsedMs: Math.round(t),
      sendingMs: Math.round(this.sendingMs),
      connections: {
        requested: this.options.connections,
        opened: this.opened,
        failed: this.failedToOpen,
        peakOpen: this.peakOpen,
      },
      messages: {
        sent: this.sent,
        echoed: this.echoed,
        skipped: this.skipped,
        late: this.late,
        unanswered: this.unanswered,
      },
      bytes: { sent: this.bytesSent, echoed: this.bytesEchoed },
      roundTripsPerSecond: seconds > 0 ? Math.round(this.echoed / seconds) : 0,
      latencyMs: this.total.figures(),
      errors: this.errors,
      mismatches: this.mismatches,
      crashes: { ...this.crashes },
    });
    this.finish = null;
  }

  private progress(): LoadProgress {
    const now = performance.now();
    const seconds = (now - this.lastProgressAt) / 1000;
    const progress: LoadProgress = {
      elapsedMs: Math.round(this.elapsed(now)),
      phase: this.phase,
      open: this.open,
      roundTrips: this.echoed,
      roundTripsPerSecond: seconds > 0 ? Math.round(this.intervalEchoed / seconds) : 0,
      latencyMs: this.interval.figures(),
      errors: this.errors.count,
      mismatches: this.mismatches.count,
      crashes: { ...this.crashes },
    };
    this.interval.reset();
    this.intervalEchoed = 0;
    this.lastProgressAt = now;
    return progress;
  }

  private onError(kind: string, example: string): void {
    this.errors.count++;
    this.errors.byKind[kind] = (this.errors.byKind[kind] ?? 0) + 1;
    if (this.errors.examples.length < MAX_EXAMPLES) this.errors.examples.push(example);
  }

  private sink(): ConnectionSink {
    return {
      opened: () => {
        this.opened++;
        this.open++;
        if (this.open > this.peakOpen) this.peakOpen = this.open;
      },
      echoed: (latencyMs, bytes) => {
        this.echoed++;
        this.intervalEchoed++;
        this.bytesEchoed += bytes;
        this.total.record(latencyMs);
        this.interval.record(latencyMs);
      },
      echoedBytes: (bytes) => {
        this.bytesEchoed += bytes;
      },
      mismatch: (example) => {
        this.mismatches.count++;
        if (this.mismatches.examples.length < MAX_EXAMPLES) this.mismatches.examples.push(example);
      },
      error: (kind, example) => this.onError(kind, example),
      crashClosed: () => {
        this.crashes.closed++;
      },
      crashEchoed: () => {
        this.crashes.echoed++;
      },
      closed: (wasOpen) => {
        if (wasOpen) this.open--;
        else this.failedToOpen++;
      },
    };
  }
}
