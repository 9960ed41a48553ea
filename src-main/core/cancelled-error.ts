import type { AwaitPoint, CancelReason } from '../../src-shared/events';

/** Thrown into a task at its current await point when it is cancelled (asyncio's CancelledError). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(
    readonly reason: CancelReason,
    readonly awaitPoint: AwaitPoint,
  ) {
    super(`Task cancelled at ${awaitPoint} (${reason})`);
  }
}
