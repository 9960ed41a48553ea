/** The series the live-tasks chart draws: time, running tasks, failed tasks whose connection dangles. */
export interface TaskCountColumns {
  at: number[];
  running: number[];
  dangling: number[];
}

/** Finest spacing of points: the counts as of the end of each quarter second. */
export const SAMPLE_STEP_MS = 250;
/** Most points kept; past it, older points are thinned. */
const MAX_POINTS = 2400;
/** The newest points are never thinned (10 minutes of changes every quarter second). */
const RECENT_POINTS = 1200;

/**
 * Running and failed-dangling task counts over a session, sampled and bounded. Each point is the counts
 * as of its time, drawn as a step until the next point; a point is kept only where a count changed.
 * At most one point per SAMPLE_STEP_MS (within one step the latest counts win). When MAX_POINTS is
 * passed, points older than the newest RECENT_POINTS are thinned to one per coarser step (the last of
 * each, its state at that step's end), the step doubling as often as needed: memory stays bounded
 * however long the session, and the recent past keeps its full detail.
 */
export class TaskCountSeries {
  private at: number[] = [];
  private running: number[] = [];
  private dangling: number[] = [];
  /** The step older points are thinned to; doubles as the session grows. */
  private oldStep = SAMPLE_STEP_MS * 2;

  constructor(
    private readonly maxPoints = MAX_POINTS,
    private readonly recentPoints = RECENT_POINTS,
  ) {}

  get size(): number {
    return this.at.length;
  }

  /** The counts as of `at` (ms on the events' clock). Times before the newest point count as its time. */
  add(at: number, running: number, dangling: number): void {
    const n = this.at.length;
    if (n > 0 && this.running[n - 1] === running && this.dangling[n - 1] === dangling) return;
    const last = n - 1;
    if (n > 0 && Math.floor(at / SAMPLE_STEP_MS) <= Math.floor(this.at[last]! / SAMPLE_STEP_MS)) {
      this.running[last] = running;
      this.dangling[last] = dangling;
      // Back to the counts before this step: the step changed nothing.
      if (n > 1 && this.running[last - 1] === running && this.dangling[last - 1] === dangling) this.pop();
      return;
    }
    this.at.push(at);
    this.running.push(running);
    this.dangling.push(dangling);
    if (this.at.length > this.maxPoints) this.thin();
  }

  /** The points at or before `until`, oldest first, as fresh arrays. */
  columns(until = Number.POSITIVE_INFINITY): TaskCountColumns {
    let end = this.at.length;
    while (end > 0 && this.at[end - 1]! > until) end--;
    return {
      at: this.at.slice(0, end),
      running: this.running.slice(0, end),
      dangling: this.dangling.slice(0, end),
    };
  }

  private pop(): void {
    this.at.pop();
    this.running.pop();
    this.dangling.pop();
  }

  /** Thins the points before the newest `recentPoints` until they fill at most half the room left. */
  private thin(): void {
    const old = this.at.length - this.recentPoints;
    const room = Math.max(1, Math.floor((this.maxPoints - this.recentPoints) / 2));
    let kept: number[] = [];
    for (;;) {
      kept = [];
      for (let i = 0; i < old; i++) {
        const bucket = Math.floor(this.at[i]! / this.oldStep);
        const nextBucket = i + 1 < old ? Math.floor(this.at[i + 1]! / this.oldStep) : Number.NaN;
        // The first point keeps the session's start; every other kept point ends its bucket.
        if (i === 0 || bucket !== nextBucket) kept.push(i);
      }
      if (kept.length <= room) break;
      this.oldStep *= 2;
    }
    const at: number[] = [];
    const running: number[] = [];
    const dangling: number[] = [];
    const keep = (i: number) => {
      const n = at.length;
      if (n > 0 && running[n - 1] === this.running[i] && dangling[n - 1] === this.dangling[i]) return;
      at.push(this.at[i]!);
      running.push(this.running[i]!);
      dangling.push(this.dangling[i]!);
    };
    for (const i of kept) keep(i);
    for (let i = old; i < this.at.length; i++) keep(i);
    this.at = at;
    this.running = running;
    this.dangling = dangling;
  }
}
