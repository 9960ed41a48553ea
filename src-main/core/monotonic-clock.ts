/** Monotonic time as epoch milliseconds: performance.now() never jumps, timeOrigin makes it displayable. */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}
