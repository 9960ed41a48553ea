import { describe, expect, it } from 'vitest';
import { RETENTION } from '../../src-shared/retention';
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
