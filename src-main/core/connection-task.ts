import type { AwaitPoint, CancelReason } from '../../src-shared/events';
import type { AwaitableSocket, Waiter } from './awaitable-socket';
import { CancelledError } from './cancelled-error';
import type { CrashDetector } from './crash-detector';
import type { TaskActivity } from './task-activity';

/** The article's exception, raised when the crash word arrives. */
export const CRASH_MESSAGE = 'Unexpected network error';

/** How a task's body ended. */
export type TaskOutcome =
  | { kind: 'completed' }
  | { kind: 'failed'; error: unknown; awaitPoint: AwaitPoint }
  | { kind: 'cancelled'; reason: CancelReason; awaitPoint: AwaitPoint };

const COMPLETED: TaskOutcome = Object.freeze({ kind: 'completed' });

/** Who hears of a task's end, as soon as its outcome is known (a Task's done callback). */
export type TaskEnded = (task: ConnectionTask, outcome: TaskOutcome) => void;

/** What the body yields: the await it suspends at, until the socket resumes it. */
type Await = 'recv' | 'send';

/**
 * One connection's task: the article's `echo` coroutine, instrumented. The body is a coroutine (a
 * generator) that loops `yield recv` then `yield send` and throws on the crash word; this object drives
 * it as asyncio's Task drives a coroutine: it runs the body until it suspends at an await, and the socket
 * resumes it with the data, or throws the error (a cancellation, a reset) in at that await. Awaits that
 * can complete at once (data already queued, the kernel takes the echo) do not suspend, as in asyncio.
 *
 * Under the `unhandled` policy, the engine drops every reference to a failed task, so this object
 * (and the exception it holds) can really be collected; a FinalizationRegistry then reports it.
 */
export class ConnectionTask implements Waiter {
  awaitPoint: AwaitPoint = 'recv';
  /** The exception the task finished with, kept like an asyncio Task keeps it until retrieved. */
  exception: unknown = null;
  private readonly coroutine: Generator<Await, void, Buffer | null>;
  private outcome: TaskOutcome | null = null;
  private settledListeners: Array<(outcome: TaskOutcome) => void> | null = null;

  constructor(
    readonly id: number,
    readonly conn: AwaitableSocket,
    private readonly crash: CrashDetector,
    private readonly recvSize: number,
    readonly activity: TaskActivity,
    private readonly ended: TaskEnded,
  ) {
    this.coroutine = this.body();
    this.resume(null, null);
  }

  /** Settles (never rejects) once the body has ended, after `ended` has heard the outcome. */
  get settled(): Promise<TaskOutcome> {
    if (this.outcome) return Promise.resolve(this.outcome);
    return new Promise((resolve) => {
      if (this.settledListeners) this.settledListeners.push(resolve);
      else this.settledListeners = [resolve];
    });
  }

  /** Throws CancelledError into the task at the await point it is parked at now. */
  cancel(reason: CancelReason): void {
    this.conn.interrupt(new CancelledError(reason, this.awaitPoint));
  }

  /** Runs the body from its await until it suspends again or ends (asyncio's Task.__step). */
  resume(data: Buffer | null, error: Error | null): void {
    let step: IteratorResult<Await, void>;
    try {
      step = error ? this.coroutine.throw(error) : this.coroutine.next(data);
    } catch (thrown) {
      if (thrown instanceof CancelledError)
        this.end({ kind: 'cancelled', reason: thrown.reason, awaitPoint: thrown.awaitPoint });
      else {
        this.exception = thrown;
        this.end({ kind: 'failed', error: thrown, awaitPoint: this.awaitPoint });
      }
      return;
    }
    if (step.done) this.end(COMPLETED);
    else if (step.value === 'recv') this.conn.waitRecv(this.recvSize, this);
    else this.conn.waitSend(this);
  }

  private end(outcome: TaskOutcome): void {
    this.outcome = outcome;
    this.ended(this, outcome);
    const listeners = this.settledListeners;
    this.settledListeners = null;
    if (listeners) for (const listener of listeners) listener(outcome);
  }

  /**
   * Records the await point; reports `parked` only when the await really suspends the task, as in
   * asyncio where sock_recv/sock_sendall return at once when data is ready or the kernel takes it.
   */
  private park(at: AwaitPoint, suspends: boolean): void {
    this.awaitPoint = at;
    if (suspends) this.activity.suspended(at);
  }

  /** Sends; false when the task must suspend until the peer reads. */
  private send(data: Buffer): boolean {
    this.awaitPoint = 'send';
    if (this.conn.sendNow(data)) return true;
    this.park('send', true);
    return false;
  }

  /**
   * The loop's steps for `reads`, several whole reads of recvSize already queued. asyncio's recv returns
   * each of them at once and sendall takes each echo, with no other task running in between, so they are
   * checked, taken, echoed and counted together: the same bytes and counts as one step each. The crash
   * is raised in the read it is found in; the reads after that one stay queued, unread.
   */
  private *echoReads(reads: Buffer): Generator<Await, void, Buffer | null> {
    const { conn, activity, recvSize } = this;
    const crashAt = this.crash.feedReads(reads, recvSize);
    const taken = crashAt === -1 ? reads.length : crashAt - (crashAt % recvSize) + recvSize;
    conn.skip(taken);
    activity.received(reads.subarray(taken - recvSize, taken), taken, taken / recvSize);
    const echo = crashAt === -1 ? reads.length : crashAt;
    if (echo > 0) {
      if (!this.send(reads.subarray(0, echo))) yield 'send';
      // A read's echo is one send; the crash read sends only what came before the crash line.
      activity.echoed(echo, Math.ceil(echo / recvSize));
    }
    if (crashAt !== -1) this.raiseCrash();
  }

  /**
   * Raises the article's exception. The check that raises it follows the recv that brought the crash
   * line, so that is where the task failed, even when the lines before it in the same read were echoed
   * first (the send of those completed).
   */
  private raiseCrash(): never {
    this.awaitPoint = 'recv';
    throw new Error(CRASH_MESSAGE);
  }

  /** The article's echo coroutine: `while data := await recv(n): await sendall(data)`. */
  private *body(): Generator<Await, void, Buffer | null> {
    const { conn, activity } = this;
    for (;;) {
      this.park('recv', conn.recvWouldWait);
      const reads = conn.queuedReads(this.recvSize);
      if (reads !== null) {
        yield* this.echoReads(reads);
        continue;
      }
      const data = conn.recvNow(this.recvSize) ?? ((yield 'recv') as Buffer);
      if (data.length === 0) return;
      activity.received(data);
      const crashAt = this.crash.feed(data);
      if (crashAt >= 0) {
        // Everything before the crash line is ordinary data and is echoed first.
        if (crashAt > 0) {
          if (!this.send(data.subarray(0, crashAt))) yield 'send';
          activity.echoed(crashAt);
        }
        this.raiseCrash();
      }
      if (!this.send(data)) yield 'send';
      activity.echoed(data.length);
    }
  }
}
