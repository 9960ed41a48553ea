import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_STEP_MS, TaskCountSeries } from './task-count-series';

type Add = [at: number, running: number, dangling: number];

/** The counts after the last add within the sample step that `at` falls in (what a point there shows). */
function stateAtEndOfStep(adds: readonly Add[], at: number): [number, number] {
  const step = Math.floor(at / SAMPLE_STEP_MS);
  let state: [number, number] = [Number.NaN, Number.NaN];
  for (const [t, r, d] of adds) if (Math.floor(t / SAMPLE_STEP_MS) <= step) state = [r, d];
  return state;
}

describe('TaskCountSeries', () => {
  it('keeps one point per step, the latest counts winning, and only where a count changed', () => {
    const series = new TaskCountSeries();
    series.add(1_000, 0, 0);
    series.add(1_010, 1, 0);
    series.add(1_100, 2, 0); // same step as 1_000: overwrites it
    series.add(1_300, 2, 0); // unchanged: nothing
    series.add(1_600, 1, 1);
    series.add(1_700, 2, 0); // back to the previous point's counts within a step: the step is dropped
    series.add(2_000, 0, 1);
    expect(series.columns()).toEqual({ at: [1_000, 2_000], running: [2, 0], dangling: [0, 1] });
    expect(series.columns(1_999)).toEqual({ at: [1_000], running: [2], dangling: [0] });
  });

  it('stays bounded over a long session, the recent past in full detail and the start kept', () => {
    const series = new TaskCountSeries(400, 200);
    const start = 1_700_000_000_000;
    const adds: Add[] = [];
    let largest = 0;
    for (let i = 0; i < 200_000; i++) {
      const add: Add = [start + i * SAMPLE_STEP_MS, i % 7, i % 3];
      adds.push(add);
      series.add(...add);
      largest = Math.max(largest, series.size);
    }
    expect(largest).toBeLessThanOrEqual(400);
    const { at, running, dangling } = series.columns();
    expect(at[0]).toBe(start);
    // The newest 200 points are exactly the newest 200 adds.
    expect(at.slice(-200)).toEqual(adds.slice(-200).map((a) => a[0]));
    expect(running.slice(-200)).toEqual(adds.slice(-200).map((a) => a[1]));
    expect(dangling.at(-1)).toBe(adds.at(-1)![2]);
    // Older ones are thinned: 14 hours of quarter-second changes in at most 200 points.
    const old = at.length - 200;
    expect((at[old - 1]! - at[0]!) / (old - 1)).toBeGreaterThan(100 * SAMPLE_STEP_MS);
  });

  it('only ever shows counts the session had at each point, in time order, within its bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.nat({ max: 4 }), fc.nat({ max: 2 })), {
          maxLength: 600,
        }),
        (steps) => {
          const series = new TaskCountSeries(60, 20);
          const adds: Add[] = [];
          let t = 0;
          for (const [dt, r, d] of steps) {
            t += dt;
            adds.push([t, r, d]);
            series.add(t, r, d);
          }
          const { at, running, dangling } = series.columns();
          expect(at.length).toBeLessThanOrEqual(60);
          for (let i = 0; i < at.length; i++) {
            if (i > 0) expect(at[i]).toBeGreaterThan(at[i - 1]!);
            expect([running[i], dangling[i]]).toEqual(stateAtEndOfStep(adds, at[i]!));
          }
          if (adds.length > 0) {
            expect([running.at(-1), dangling.at(-1)]).toEqual([adds.at(-1)![1], adds.at(-1)![2]]);
          }
        },
      ),
    );
  });
});
