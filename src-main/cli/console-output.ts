import type { Writable } from 'node:stream';

/** Text held while a stream cannot take more; beyond it, lines are counted instead of kept. */
export const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

export interface ConsoleStreamOptions {
  /** Most text (UTF-16 units) waiting for `drain`; default 1 MiB. */
  maxQueuedBytes?: number;
  /** Where the "N lines not shown" notice goes once the stream takes output again; default this stream. */
  reportLoss?: (notice: string) => void;
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * Lines to stdout or stderr that can neither crash the process nor grow without bound. Writes respect
 * backpressure: while the stream is full, lines queue up to a byte budget and the rest are counted, and
 * the count is reported once the stream drains. The first stream error (EPIPE: the reader went away)
 * ends this stream's output for good and is handed to `onBroken` listeners, never thrown.
 */
export class ConsoleStream {
  private readonly maxQueuedBytes: number;
  private readonly reportLoss: (notice: string) => void;
  private queue: string[] = [];
  private queuedBytes = 0;
  private waitingForDrain = false;
  private notShown = 0;
  private brokenBy: Error | null = null;
  private readonly brokenListeners = new Set<(error: Error) => void>();
  /** Resolvers of `flush()` calls, run when everything handed over has been written or the stream broke. */
  private readonly flushWaiters = new Set<() => void>();

  constructor(
    private readonly stream: Writable,
    options: ConsoleStreamOptions = {},
  ) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.reportLoss = options.reportLoss ?? ((notice) => this.line(notice));
    stream.on('error', (error: Error) => this.breakWith(error));
  }

  /** Whether output ended because the stream failed. */
  get broken(): boolean {
    return this.brokenBy !== null;
  }

  /** Runs `listener` once when the stream fails (at once if it already has). */
  onBroken(listener: (error: Error) => void): void {
    if (this.brokenBy) listener(this.brokenBy);
    else this.brokenListeners.add(listener);
  }

  /** Writes `text` and a newline, queues it while the stream is full, or counts it when the queue is too. */
  line(text: string): void {
    if (this.brokenBy) return;
    const chunk = `${text}\n`;
    if (!this.waitingForDrain) {
      this.write(chunk);
      return;
    }
    if (this.queuedBytes + chunk.length > this.maxQueuedBytes) {
      this.notShown += countLines(chunk);
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
  }

  /**
   * Resolves once everything handed over so far has reached the OS, the stream broke, or `timeoutMs`
   * passed (a reader that stalls must not hold up the exit).
   */
  flush(timeoutMs: number): Promise<void> {
    if (this.brokenBy) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.flushWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.flushWaiters.add(done);
      // Writes complete in order, so an empty write's callback means all before it are out. While the
      // stream is full, onDrain sends that marker after the queue.
      if (!this.waitingForDrain) this.stream.write('', done);
    });
  }

  private write(chunk: string): void {
    if (this.stream.destroyed) {
      this.breakWith(new Error('The stream is closed'));
      return;
    }
    if (!this.stream.write(chunk)) {
      this.waitingForDrain = true;
      this.stream.once('drain', () => this.onDrain());
    }
  }

  private onDrain(): void {
    this.waitingForDrain = false;
    if (this.brokenBy) return;
    if (this.queue.length > 0) {
      const text = this.queue.join('');
      this.queue = [];
      this.queuedBytes = 0;
      this.write(text);
    }
    if (this.waitingForDrain) return;
    if (this.notShown > 0) {
      const lost = this.notShown;
      this.notShown = 0;
      this.reportLoss(`(${lost} line${lost === 1 ? '' : 's'} not shown: output was too slow)`);
    }
    if (this.flushWaiters.size > 0) this.stream.write('', () => this.settleFlushes());
  }

  private settleFlushes(): void {
    for (const done of [...this.flushWaiters]) done();
  }

  private breakWith(error: Error): void {
    if (this.brokenBy) return;
    this.brokenBy = error;
    this.queue = [];
    this.queuedBytes = 0;
    this.settleFlushes();
    for (const listener of this.brokenListeners) listener(error);
    this.brokenListeners.clear();
  }
}

/** How long the exit waits for console output to reach a reader that may have stalled. */
export const EXIT_FLUSH_MS = 1000;

/**
 * What a command says on stderr when its stdout's reader went away (`echoscope serve | head -1`): it then
 * stops gracefully, as on Ctrl-C, and exits 0.
 */
export const STDOUT_CLOSED = 'stdout was closed: stopping';

/** This process's stdout and stderr as console streams: what could not be shown on stdout is said on stderr. */
export interface ProcessConsole {
  out: ConsoleStream;
  err: ConsoleStream;
  /** Both streams' `flush`, for the exit. */
  flush(timeoutMs: number): Promise<void>;
}

let shared: ProcessConsole | null = null;

/** The one ProcessConsole (one error listener per process stream, however many commands run). */
export function processConsole(): ProcessConsole {
  if (shared) return shared;
  const err = new ConsoleStream(process.stderr);
  const out = new ConsoleStream(process.stdout, { reportLoss: (notice) => err.line(notice) });
  shared = {
    out,
    err,
    flush: async (timeoutMs) => {
      await Promise.all([out.flush(timeoutMs), err.flush(timeoutMs)]);
    },
  };
  return shared;
}

/** A command's console: one line to stdout or stderr, and the bounded flush before its exit code. */
export interface CommandConsole {
  out(text: string): void;
  err(text: string): void;
  /** Flushes both streams (at most EXIT_FLUSH_MS), then gives back `code`. */
  finish(code: number): Promise<number>;
  streams: ProcessConsole;
}

export function commandConsole(): CommandConsole {
  const streams = processConsole();
  return {
    out: (text) => streams.out.line(text),
    err: (text) => streams.err.line(text),
    finish: async (code) => {
      await streams.flush(EXIT_FLUSH_MS);
      return code;
    },
    streams,
  };
}
