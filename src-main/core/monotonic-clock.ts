/**
 * performance.timeOrigin is fixed for the life of the process, but each read of it is a call into Node's
 * bindings (about 100 ns, once per event): read once.
 */
const TIME_ORIGIN = performance.timeOrigin;

/** Monotonic time as epoch milliseconds: performance.now() never jumps, timeOrigin makes it displayable. */
export function monotonicNow(): number {
  return TIME_ORIGIN + performance.now();
}
