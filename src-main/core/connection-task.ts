import type { AwaitPoint, CancelReason } from '../../src-shared/events';
import { type AwaitableSocket, SENT } from './awaitable-socket';
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

/** Who hears of a task's end, as soon as its outcome is known. */
export type TaskEnded = (task: ConnectionTask, outcome: TaskOutcome) => void;

/**
 * One connection's task: the article's `echo` coroutine, instrumented. The body loops
 * `await recv(n)` then `await sendAll(data)` and throws on the crash word.
 *
 * Under the `unhandled` policy, the engine drops every reference to a failed task, so this object
 * (and the exception it holds) can really be collected; a FinalizationRegistry then reports it.
 */
export class ConnectionTask {
  awaitPoint: AwaitPoint = 'recv';
  /** The exception the task finished with, kept like an asyncio Task keeps it until retrieved. */
  exception: unknown = null;
  /** Settles (never rejects) when the body has ended and the outcome is known (after `ended` heard it). */
  readonly settled: Promise<TaskOutcome>;

  constructor(
    readonly id: number,
    readonly conn: AwaitableSocket,
    private readonly crash: CrashDetector,
    private readonly recvSize: number,
    readonly activity: TaskActivity,
    private readonly ended: TaskEnded,
  ) {
    this.settled = this.body();
  }

  /** Throws CancelledError into the task at the await point it is parked at now. */
  cancel(reason: CancelReason): void {
    this.conn.interrupt(new CancelledError(reason, this.awaitPoint));
  }

  /**
   * Records the await point; reports `parked` only when the await really suspends the task, as in
   * asyncio where sock_recv/sock_sendall return at once when data is ready or the kernel takes it.
   */
  private park(at: AwaitPoint, suspends: boolean): void {
    this.awaitPoint = at;
    if (suspends) this.activity.suspended(at);
  }

  /** Sends; returns null when the data left at once, so the caller skips a needless await. */
  private send(data: Buffer): Promise<void> | null {
    const sending = this.conn.sendAll(data);
    if (sending === SENT) {
      this.awaitPoint = 'send';
      return null;
    }
    this.park('send', true);
    return sending;
  }

  /** The coroutine, whose outcome is handed to `ended` (a Task's done callbacks) and returned. */
  private async body(): Promise<TaskOutcome> {
    const { conn, activity } = this;
    let outcome = COMPLETED;
    try {
      for (;;) {
        this.park('recv', conn.recvWouldWait);
        // asyncio's sock_recv returns at once, without suspending, when data is already there.
        const data = conn.recvNow(this.recvSize) ?? (await conn.recv(this.recvSize));
        if (data.length === 0) break;
        activity.received(data);
        const crashAt = this.crash.feed(data);
        if (crashAt >= 0) {
          // Everything before the crash line is ordinary data and is echoed first.
          if (crashAt > 0) {
            const sending = this.send(data.subarray(0, crashAt));
            if (sending) await sending;
            activity.echoed(crashAt);
          }
          throw new Error(CRASH_MESSAGE);
        }
        const sending = this.send(data);
        if (sending) await sending;
        activity.echoed(data.length);
      }
    } catch (error) {
      if (error instanceof CancelledError)
        outcome = { kind: 'cancelled', reason: error.reason, awaitPoint: error.awaitPoint };
      else {
        this.exception = error;
        outcome = { kind: 'failed', error, awaitPoint: this.awaitPoint };
      }
    }
    this.ended(this, outcome);
    return outcome;
  }
}
