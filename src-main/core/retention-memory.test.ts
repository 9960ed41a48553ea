import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EchoEngine } from './echo-engine';

/** Connect, one echoed line, half-close, wait for the server's close: `count` times, `lanes` at once. */
async function churn(port: number, count: number, lanes = 16): Promise<void> {
  let started = 0;
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      socket.on('connect', () => socket.write('churn\n'));
      socket.on('data', () => socket.end());
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
  const lane = async (): Promise<void> => {
    while (started < count) {
      started++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

/**
 * The heap after collections until it stops shrinking (compaction takes more than one), and the bytes
 * held outside it in ArrayBuffers (where the engine packs ended, closed tasks).
 */
async function collected(): Promise<{ heap: number; outside: number }> {
  // A long-lived task is packed a second after it closes (a short-lived one at once).
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  let used = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    const now = process.memoryUsage().heapUsed;
    if (now >= used) break;
    used = now;
  }
  return { heap: used, outside: process.memoryUsage().arrayBuffers };
}

describe('retention: what a run keeps is bounded by the shared limits', () => {
  it(
    'past the ended-task limit, churn leaves the heap flat: the limit holds',
    { timeout: 60_000 },
    async () => {
      const limit = 1_500;
      // Not the test harness's engine: it records every event, which is what this test must not do.
      const engine = new EchoEngine({ endedTaskLimit: limit });
      const started = await engine.start({ port: 0, policy: 'handled' });
      if (!started.ok) throw new Error(started.error.message);
      const port = started.value.boundPort!;
      // A first few hundred connections compile the paths they take, which is not what they keep.
      const warmUp = 300;
      await churn(port, warmUp);
      const warm = await collected();
      await churn(port, limit - warmUp);
      const atLimit = await collected();
      expect(engine.bus.state.tasks.size).toBe(limit);
      await churn(port, 3 * limit);
      const pastLimit = await collected();
      expect(engine.bus.state.counters.completed).toBe(4 * limit);
      console.log(
        `kept ended task: ${Math.round((atLimit.heap - warm.heap) / (limit - warmUp))} B on the heap, ${Math.round((atLimit.outside - warm.outside) / (limit - warmUp))} B packed`,
      );
      expect(engine.bus.state.tasks.size).toBe(limit);
      // What an ended, closed task costs while kept. On the heap, its entries in the engine's tables:
      // about 300 bytes here, 100 with 20,000 kept (as objects, its events took about 1,000). Packed
      // outside it, its events: about 200 bytes, seen here in whole 256 KiB blocks (0 or 1 more block).
      // Nothing more once past the limit.
      expect((atLimit.heap - warm.heap) / (limit - warmUp)).toBeLessThan(400);
      expect((atLimit.outside - warm.outside) / (limit - warmUp)).toBeLessThan(1024);
      expect(pastLimit.heap - atLimit.heap).toBeLessThan(512 * 1024);
      expect(pastLimit.outside - atLimit.outside).toBeLessThan(1024 * 1024);
      await engine.stop();
    },
  );
});
