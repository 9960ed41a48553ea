/** How long a request waits, so that every task failing meanwhile is collected by the same run. */
export const COALESCE_MS = 10;

/** Most of the process's time the requested collections may take (a full gc() costs more on a big heap). */
const MAX_GC_SHARE = 0.1;

/**
 * Real garbage collections on request, as the `cpython` collection mode needs them: a failed task that
 * nobody references is collected soon after it is dropped, so its FinalizationRegistry callback — and
 * with it the warning and the socket's close — comes at once, as CPython's reference counting does it.
 *
 * Requests coalesce: at most one collection is pending, and it runs `COALESCE_MS` after the first
 * request, so a storm of crashes costs one collection, not one each. A collection starts no sooner
 * than its predecessor's cost allows (at most `MAX_GC_SHARE` of the time), however often it is asked.
 * It runs from a timer, when no stack holds the dropped task.
 */
export class PromptCollector {
  private timer: NodeJS.Timeout | null = null;
  /** When the next collection may start, after the cost of the last one. */
  private earliestNext = 0;
  /** Collections run so far. */
  runs = 0;

  constructor(private readonly gc: () => void) {}

  /** Asks for a collection soon; joins the one already pending, if any. */
  request(): void {
    if (this.timer) return;
    const wait = Math.max(COALESCE_MS, this.earliestNext - performance.now());
    this.timer = setTimeout(() => this.run(), wait);
    this.timer.unref();
  }

  /** Drops a pending collection (stop settles what it would have found). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    const started = performance.now();
    this.gc();
    const ended = performance.now();
    this.runs++;
    this.earliestNext = ended + (ended - started) * (1 / MAX_GC_SHARE - 1);
  }
}
