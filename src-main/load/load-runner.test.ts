import { describe, expect, it } from 'vitest';
import { checkLoadOptions, type LoadOptions, type LoadProgress } from '../../src-shared/load/load-contract';
import { engineFixtures } from '../core/testing/engine-harness';
import { startLoad } from './load-runner';

const { startEngine } = engineFixtures();

function options(partial: Partial<LoadOptions>): LoadOptions {
  const checked = checkLoadOptions(partial);
  if (!checked.ok) throw new Error(checked.error.message);
  return checked.value;
}

describe('startLoad (a worker thread)', () => {
  it('runs outside this event loop, reports progress, and sums up', async () => {
    const { engine, port } = await startEngine({ policy: 'handled' });
    const run = startLoad(
      options({ port, connections: 30, rate: 40, durationS: 1.5, rampS: 0.2, crashFraction: 0.1 }),
      {
        progressIntervalMs: 200,
      },
    );
    const progress: LoadProgress[] = [];
    run.onProgress((p) => progress.push(p));
    // This loop is blocked for half a second; the worker keeps sending, and the server (here) catches up.
    const blockedUntil = Date.now() + 500;
    while (Date.now() < blockedUntil) {}
    const s = await run.done;
    expect(s.connections.opened).toBe(30);
    expect(s.messages.echoed).toBe(s.messages.sent);
    expect(s.errors.count + s.mismatches.count).toBe(0);
    expect(s.crashes).toMatchObject({ planned: 3, sent: 3, closed: 3 });
    expect(engine.bus.state.counters.failed).toBe(3);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  it('stops early on request, and can be terminated outright', async () => {
    const { port } = await startEngine({ policy: 'handled' });
    const run = startLoad(options({ port, connections: 5, rate: 20, durationS: 60, rampS: 0 }), {
      progressIntervalMs: 100,
    });
    await new Promise<void>((resolve) => {
      const off = run.onProgress(() => {
        off();
        resolve();
      });
    });
    run.stop();
    const s = await run.done;
    expect(s.endedBy).toBe('stopped');
    expect(s.sendingMs).toBeLessThan(10_000);

    const doomed = startLoad(options({ port, connections: 5, rate: 20, durationS: 60, rampS: 0 }));
    await doomed.terminate();
    await expect(doomed.done).rejects.toThrow(/exited .* without a summary/);
  });

  it('refuses options that break the bounds, even when they skipped the command line', async () => {
    const run = startLoad({ ...options({}), connections: 1e9 });
    await expect(run.done).rejects.toThrow(/connections must be a whole number/);
  });
});
