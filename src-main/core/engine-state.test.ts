import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WarningView } from '../../src-shared/commands';
import { countEvent, warningFromEvent, zeroCounters } from '../../src-shared/counters';
import type { EngineEvent } from '../../src-shared/events';
import { EndedTaskQueue, pushBounded, RETENTION, type RetentionLimits } from '../../src-shared/retention';
import { applyTaskEvent, createTaskView, isConnectionOpen, type TaskView } from '../../src-shared/task-view';
import { retentionScenario, summarizeRetained } from '../../src-shared/testing/retention-scenario';
import { EngineState } from './engine-state';

describe('engine state retention', () => {
  it('keeps a run within the shared limits, by the shared eviction rule', () => {
    const { events, expected } = retentionScenario(RETENTION);
    const state = new EngineState();
    for (const e of events) state.apply(e);
    expect(
      summarizeRetained({
        tasks: state.tasks.values(),
        warnings: state.warnings,
        clients: state.clients.values(),
      }),
    ).toEqual(expected);
    // Counters stay exact whatever is forgotten.
    expect(state.counters.accepted).toBe(events.filter((e) => e.kind === 'accepted').length);
    expect(state.counters.unretrieved).toBe(events.filter((e) => e.kind === 'unretrieved').length);
  });
});

type Step =
  | { op: 'accepted'; task: number }
  | { op: 'parked'; task: number; at: 'recv' | 'send' }
  | { op: 'received'; task: number; bytes: number }
  | { op: 'echoed'; task: number; bytes: number }
  | { op: 'completed'; task: number }
  | { op: 'cancelled'; task: number }
  | { op: 'failed'; task: number; dangling: boolean }
  | { op: 'closed'; task: number; reset: boolean }
  | { op: 'unretrieved'; task: number }
  /** A Stop under way: tasks closed meanwhile are packed after it. */
  | { op: 'stopping' }
  | { op: 'stopped' };

const TASK = fc.integer({ min: 1, max: 4 });
/** Data events weigh most, so some tasks run long enough to fold and to pass the lifecycle limit. */
const STEP: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('accepted' as const), task: TASK }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('parked' as const),
      task: TASK,
      at: fc.constantFrom('recv', 'send'),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ op: fc.constant('received' as const), task: TASK, bytes: fc.nat(5000) }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ op: fc.constant('echoed' as const), task: TASK, bytes: fc.nat(5000) }),
    weight: 6,
  },
  { arbitrary: fc.record({ op: fc.constant('completed' as const), task: TASK }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('cancelled' as const), task: TASK }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('failed' as const), task: TASK, dangling: fc.boolean() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ op: fc.constant('closed' as const), task: TASK, reset: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('unretrieved' as const), task: TASK }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constantFrom('stopping' as const, 'stopped' as const) }), weight: 1 },
);

const ERROR = {
  name: 'Error',
  message: 'Unexpected network error',
  stack: 'Error: Unexpected network error',
};

function toEvents(steps: Step[]): EngineEvent[] {
  let seq = 0;
  return steps.map((s): EngineEvent => {
    seq++;
    const at = 1_700_000_000_000 + seq * 0.37;
    if (s.op === 'stopping') return { seq, at, kind: 'stopping', live: 0 };
    if (s.op === 'stopped') return { seq, at, kind: 'stopped', cancelled: 0, forced: 0, durationMs: 1 };
    const base = { seq, at, taskId: s.task };
    switch (s.op) {
      case 'accepted':
        return { ...base, kind: 'accepted', peerAddress: '127.0.0.1', peerPort: 40_000 + seq, localPort: 7 };
      case 'parked':
        return { ...base, kind: 'parked', awaitPoint: s.at };
      case 'received':
        return { ...base, kind: 'received', bytes: s.bytes, reads: 1, preview: `p${seq}` };
      case 'echoed':
        return { ...base, kind: 'echoed', bytes: s.bytes, sends: 1 };
      case 'completed':
        return { ...base, kind: 'completed' };
      case 'cancelled':
        return { ...base, kind: 'cancelled', awaitPoint: 'recv', reason: 'user' };
      case 'failed':
        return {
          ...base,
          kind: 'failed',
          error: ERROR,
          policy: 'handled',
          awaitPoint: 'recv',
          dangling: s.dangling,
        };
      case 'closed':
        return { ...base, kind: 'closed', reason: 'task-ended', reset: s.reset };
      default:
        return { ...base, kind: 'unretrieved', error: ERROR, via: 'gc' };
    }
  });
}

/** The reference: every event folded into a view with the shared reducer, evicted by the shared rule. */
class ReducerFold {
  readonly counters = zeroCounters();
  readonly tasks = new Map<number, TaskView>();
  readonly warnings: WarningView[] = [];
  private readonly ended = new EndedTaskQueue();

  constructor(private readonly limits: RetentionLimits) {}

  apply(e: EngineEvent): void {
    if (!('taskId' in e)) {
      countEvent(this.counters, e, undefined);
      return;
    }
    const view = this.tasks.get(e.taskId);
    const wasRunning = view?.state === 'running';
    countEvent(this.counters, e, view);
    if (e.kind === 'accepted') {
      this.tasks.set(e.taskId, createTaskView(e));
      return;
    }
    if (e.kind === 'unretrieved') pushBounded(this.warnings, warningFromEvent(e), this.limits.warnings);
    if (!view) return;
    applyTaskEvent(view, e);
    if (wasRunning && view.state !== 'running') {
      this.ended.push(e.taskId);
      this.ended.evict(this.tasks, this.limits.endedTasks, isConnectionOpen);
    }
  }
}

describe('engine state: task views built from kept events', () => {
  // Thousands of full comparisons: seconds on a busy machine, so a timeout with room.
  it(
    'equal, at every step, what folding every event with the shared reducer gives, within the limits',
    {
      timeout: 60_000,
    },
    () => {
      fc.assert(
        fc.property(
          fc.array(STEP, { minLength: 20, maxLength: 400, size: 'max' }),
          fc.integer({ min: 0, max: 4 }),
          // After which events the closed, ended tasks waiting to be packed are packed (cycled).
          fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
          (steps, endedTasks, packAfter) => {
            const limits = { ...RETENTION, endedTasks, warnings: 3 };
            const state = new EngineState(limits);
            const reference = new ReducerFold(limits);
            for (const [i, e] of toEvents(steps).entries()) {
              state.apply(e);
              if (packAfter[i % packAfter.length]) state.packNow();
              reference.apply(e);
              expect(state.counters).toEqual(reference.counters);
              expect([...state.tasks.values()]).toEqual([...reference.tasks.values()]);
            }
            expect(state.tasks.size).toBe(reference.tasks.size);
            expect(state.warnings).toEqual(reference.warnings);
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('hands out views that share nothing with what it keeps', () => {
    const state = new EngineState();
    const events = toEvents([
      { op: 'accepted', task: 1 },
      ...Array.from({ length: 40 }, (): Step => ({ op: 'received', task: 1, bytes: 3 })),
    ]);
    for (const e of events) state.apply(e);
    const first = state.tasks.get(1)!;
    first.transcript.length = 0;
    first.lifecycle.length = 0;
    first.bytesIn = -1;
    const second = state.tasks.get(1)!;
    expect(second.bytesIn).toBe(120);
    expect(second.transcript).toHaveLength(RETENTION.transcript);
    expect(second.lifecycle).toHaveLength(1);
  });
});
