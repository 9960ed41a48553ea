import type { AwaitPoint, CancelReason } from '../../src-shared/events';

/** Thrown into a task at its current await point when it is cancelled (asyncio's CancelledError). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  readonly reason: CancelReason;
  readonly awaitPoint: AwaitPoint;

  constructor(reason: CancelReason, awaitPoint: AwaitPoint) {
    // No stack: it would show where cancel() was called, not the await point, and Stop creates
    // one per live task (10,000 stack captures were a tenth of a Stop).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`Task cancelled at ${awaitPoint} (${reason})`);
    Error.stackTraceLimit = limit;
    this.reason = reason;
    this.awaitPoint = awaitPoint;
  }
}
