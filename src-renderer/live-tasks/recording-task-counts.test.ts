import { describe, expect, it } from 'vitest';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { FIXTURE_EVENTS, FIXTURE_START } from '../../src-shared/testing/recording-fixture';
import { recordingTaskCounts } from './recording-task-counts';
import { SAMPLE_STEP_MS } from './task-count-series';

// The fixture's 73 ms stretched to 7.3 s, so that its changes fall in different sample steps.
const EVENTS = FIXTURE_EVENTS.map((e) => ({ ...e, at: FIXTURE_START + (e.at - FIXTURE_START) * 100 }));
const END = EVENTS.at(-1)!.at;

/** The series' value at `t`: its last point at or before `t` (the chart draws steps). */
function valueAt(columns: { at: number[]; running: number[]; dangling: number[] }, t: number) {
  let i = columns.at.length - 1;
  while (i > 0 && columns.at[i]! > t) i--;
  return { live: columns.running[i], dangling: columns.dangling[i] };
}

describe('recordingTaskCounts', () => {
  it('agrees with the replay fold at every step of the recording', () => {
    const columns = recordingTaskCounts(EVENTS, FIXTURE_START, END).columns();
    expect(columns.at[0]).toBe(FIXTURE_START);
    for (let t = FIXTURE_START; t <= END; t += SAMPLE_STEP_MS) {
      const { live, dangling } = foldRecording(EVENTS, t).counters;
      expect(valueAt(columns, t)).toEqual({ live, dangling });
    }
    // Task 1 and the crashed task 2 run together; 2 then dangles until collected; 3 runs until stop.
    expect(Math.max(...columns.running)).toBe(2);
    expect(Math.max(...columns.dangling)).toBe(1);
    expect(valueAt(columns, END)).toEqual({ live: 0, dangling: 0 });
  });

  it('walks a long recording in longer steps, bounded', () => {
    const series = recordingTaskCounts(EVENTS, FIXTURE_START, FIXTURE_START + 30 * 24 * 3600_000);
    expect(series.size).toBeLessThan(10);
  });
});
