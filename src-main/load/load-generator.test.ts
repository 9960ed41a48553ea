import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLoadOptions, type LoadOptions, type LoadProgress } from '../../src-shared/load/load-contract';
import { engineFixtures } from '../core/testing/engine-harness';
import { freePort } from '../core/testing/free-port';
import { LoadGenerator } from './load-generator';

const { startEngine } = engineFixtures();

function options(partial: Partial<LoadOptions>): LoadOptions {
  const checked = checkLoadOptions(partial);
  if (!checked.ok) throw new Error(checked.error.message);
  return checked.value;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A broken echo server: echoes every chunk with its first byte changed. */
async function corruptingServer(): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      const copy = Buffer.from(chunk);
      copy[0] = copy[0]! ^ 1;
      socket.write(copy);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('LoadGenerator against the real engine', () => {
  it('checks every echo byte-exactly and sees each crash close its connection (handled)', async () => {
    const { engine, port } = await startEngine({ policy: 'handled' });
    const progress: LoadProgress[] = [];
    const run = new LoadGenerator(
      options({
        port,
        connections: 40,
        rate: 50,
        size: 100,
        durationS: 1.5,
        rampS: 0.2,
        crashFraction: 0.25,
      }),
      { progressIntervalMs: 250, onProgress: (p) => progress.push(p) },
    );
    const s = await run.run();
    expect(s.endedBy).toBe('duration');
    expect(s.connections).toMatchObject({ requested: 40, opened: 40, failed: 0 });
    expect(s.errors).toEqual({ count: 0, byKind: {}, examples: [] });
    expect(s.mismatches.count).toBe(0);
    expect(s.messages.sent).toBeGreaterThan(1000);
    expect(s.messages.echoed).toBe(s.messages.sent);
    expect(s.messages.unanswered).toBe(0);
    expect(s.bytes.echoed).toBe(s.bytes.sent);
    expect(s.latencyMs?.p50).toBeGreaterThan(0);
    expect(s.latencyMs!.p99).toBeGreaterThanOrEqual(s.latencyMs!.p50);
    expect(s.crashes).toEqual({ planned: 10, sent: 10, closed: 10, dangling: 0, echoed: 0 });
    // The server saw the same: 10 failed tasks, the rest completed when the run closed them.
    const counters = engine.bus.state.counters;
    expect(counters.failed).toBe(10);
    expect(counters.bytesIn).toBe(s.bytes.sent + 10 * 'boom\r\n'.length);
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.some((p) => p.roundTripsPerSecond > 0 && p.latencyMs !== null)).toBe(true);
  });

  it('sees crashed connections left dangling under a policy that keeps them open (retained)', async () => {
    const { port } = await startEngine({ policy: 'retained' });
    const s = await new LoadGenerator(
      options({ port, connections: 10, rate: 20, durationS: 1, rampS: 0.1, crashFraction: 0.5, seed: 7 }),
    ).run();
    expect(s.crashes).toEqual({ planned: 5, sent: 5, closed: 0, dangling: 5, echoed: 0 });
    expect(s.errors.count).toBe(0);
    expect(s.mismatches.count).toBe(0);
  });

  it("waits at the end for a busy server's late close after a crash word, rather than calling it dangling", async () => {
    // Echoes lines; closes a connection 400 ms after its crash word, as a loaded server might.
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('boom')) setTimeout(() => socket.destroy(), 400);
        else socket.write(chunk);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const s = await new LoadGenerator(
      options({ port, connections: 6, rate: 10, durationS: 0.5, rampS: 0, crashFraction: 1, seed: 3 }),
    ).run();
    expect(s.crashes).toEqual({ planned: 6, sent: 6, closed: 6, dangling: 0, echoed: 0 });
    expect(s.errors.count).toBe(0);
  });

  it('sends at the end the crash words a machine too busy to keep time could not send in the run', async () => {
    const { port } = await startEngine({ policy: 'handled' });
    const run = new LoadGenerator(
      options({ port, connections: 5, rate: 10, durationS: 0.6, rampS: 0, crashFraction: 1, seed: 5 }),
      {
        progressIntervalMs: 20,
        // Once every connection is open, the loop is held until the run's time is up: every crash
        // moment (planned before 90% of the run) passes without a tick that could send it.
        onProgress: (p) => {
          if (p.open < 5 || held) return;
          held = true;
          const until = performance.now() + 700;
          while (performance.now() < until);
        },
      },
    );
    let held = false;
    const s = await run.run();
    expect(held).toBe(true);
    expect(s.endedBy).toBe('duration');
    expect(s.crashes).toEqual({ planned: 5, sent: 5, closed: 5, dangling: 0, echoed: 0 });
  });

  it('says when the server echoed the crash word instead of crashing on it', async () => {
    const { port } = await startEngine({ policy: 'handled', crashWord: 'bang' });
    const s = await new LoadGenerator(
      options({ port, connections: 4, rate: 10, durationS: 0.8, rampS: 0, crashFraction: 1 }),
    ).run();
    expect(s.crashes).toMatchObject({ planned: 4, sent: 4, echoed: 4, closed: 0, dangling: 0 });
    expect(s.mismatches.count).toBe(0);
  });

  it('counts mismatched echoes with an example, and closes those connections', async () => {
    const port = await corruptingServer();
    const s = await new LoadGenerator(
      options({ port, connections: 3, rate: 20, durationS: 0.5, rampS: 0 }),
    ).run();
    expect(s.mismatches.count).toBe(3);
    expect(s.mismatches.examples[0]).toMatch(/^connection \d: expected "\d\.0 x+/);
    expect(s.messages.echoed).toBe(0);
  });

  it('reports refused connections as errors by kind', async () => {
    const port = await freePort();
    const s = await new LoadGenerator(
      options({ port, connections: 5, rate: 10, durationS: 0.3, rampS: 0 }),
    ).run();
    expect(s.errors.byKind).toEqual({ ECONNREFUSED: 5 });
    expect(s.connections).toMatchObject({ opened: 0, failed: 5 });
  });

  it('stops at any moment and still sums up', async () => {
    const { port } = await startEngine({ policy: 'handled' });
    const run = new LoadGenerator(options({ port, connections: 20, rate: 100, durationS: 30, rampS: 0.1 }));
    const done = run.run();
    await new Promise((r) => setTimeout(r, 400));
    const started = performance.now();
    run.stop();
    const s = await done;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(s.endedBy).toBe('stopped');
    expect(s.sendingMs).toBeLessThan(2000);
    expect(s.messages.echoed).toBeGreaterThan(0);
    expect(s.mismatches.count).toBe(0);
  });
});
