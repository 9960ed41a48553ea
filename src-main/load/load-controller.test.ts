import { afterEach, describe, expect, it } from 'vitest';
import type { CommandHandlers, CommandResult } from '../../src-shared/commands';
import {
  type LoadStatus,
  MAX_LOAD_CONNECTIONS,
  MAX_LOAD_MESSAGES,
} from '../../src-shared/load/load-contract';
import type { LoadRequest } from '../../src-shared/load/load-request';
import { ClientPool } from '../core/client-pool';
import { createCommandHandlers, dispatchCommand } from '../core/command-handlers';
import { EchoEngine } from '../core/echo-engine';
import { LoadController } from './load-controller';

let engine: EchoEngine;
let load: LoadController;
let handlers: CommandHandlers;

/** A real engine on loopback with the app's handlers; the controller reports every 100 ms here. */
async function setup(policy: 'handled' | 'retained' = 'handled', listen = true): Promise<void> {
  engine = new EchoEngine({ gracePeriodMs: 1000 });
  load = new LoadController(engine, 100);
  handlers = createCommandHandlers(engine, new ClientPool(engine.bus, () => engine.target()), null, load);
  if (listen) {
    const started = await engine.start({ port: 0, policy });
    if (!started.ok) throw new Error(started.error.message);
  }
}

afterEach(async () => {
  await load.end();
  if (engine.status().phase === 'listening') await engine.stop();
});

const REQUEST: LoadRequest = { connections: 50, rate: 20, size: 64, durationS: 1, crashFraction: 0.1 };

async function status(): Promise<LoadStatus> {
  const result = (await dispatchCommand(handlers, 'loadStatus', {})) as CommandResult<LoadStatus>;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Asks for the status as the page does (every 50 ms, at most 15 s) until `done` says so. */
async function pollUntil(done: (s: LoadStatus) => boolean): Promise<LoadStatus[]> {
  const seen: LoadStatus[] = [];
  for (let i = 0; i < 300; i++) {
    const s = await status();
    seen.push(s);
    if (done(s)) return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the load status never got there; last: ${JSON.stringify(seen.at(-1))}`);
}

async function refusal(name: string, args: unknown): Promise<{ code: string; message: string }> {
  const result = await dispatchCommand(handlers, name, args);
  if (result.ok) throw new Error(`${name} ${JSON.stringify(args)} was accepted`);
  return result.error;
}

describe('startLoad / stopLoad / loadStatus over a real engine', () => {
  it('runs 50 connections for 1 s in the worker: progress while it runs, then an exact summary', async () => {
    await setup('handled');
    expect(await status()).toEqual({ state: 'idle' });
    const started = await dispatchCommand(handlers, 'startLoad', REQUEST);
    expect(started).toMatchObject({ ok: true, value: { state: 'running', run: 1, progress: null } });
    // The target and the crash word are the running server's own.
    const options = (started as { value: Extract<LoadStatus, { state: 'running' }> }).value.options;
    expect(options).toMatchObject({ ...REQUEST, host: '127.0.0.1', port: engine.target()!.port });
    expect(options.crashWord).toBe(engine.status().settings!.crashWord);
    expect(await refusal('startLoad', REQUEST)).toEqual({
      code: 'load-running',
      message: 'Load run 1 is still running: stop it first',
    });

    const seen = await pollUntil((s) => s.state !== 'running');
    const progress = seen.flatMap((s) => (s.state === 'running' && s.progress ? [s.progress] : []));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)!.roundTrips).toBeGreaterThan(0);

    const end = seen.at(-1)!;
    if (end.state !== 'ended') throw new Error(`expected a summary, got ${JSON.stringify(end)}`);
    const s = end.summary;
    expect(s.endedBy).toBe('duration');
    expect(s.connections).toMatchObject({ requested: 50, opened: 50, failed: 0 });
    expect(s.messages.sent).toBeGreaterThan(0);
    expect(s.messages.echoed).toBe(s.messages.sent);
    expect(s.messages.unanswered).toBe(0);
    expect(s.bytes.echoed).toBe(s.bytes.sent);
    expect(s.errors.count).toBe(0);
    expect(s.mismatches.count).toBe(0);
    // 5% of 50 is 5 crash words; under `handled` each one fails its task and closes its connection.
    expect(s.crashes).toEqual({ planned: 5, sent: 5, closed: 5, dangling: 0, echoed: 0 });
    expect(engine.bus.state.counters).toMatchObject({ accepted: 50, failed: 5, completed: 45 });
    // The last progress is kept beside the summary, and the next run may start.
    expect(end.progress).not.toBeNull();
    expect(await dispatchCommand(handlers, 'startLoad', { ...REQUEST, durationS: 0.2 })).toMatchObject({
      ok: true,
      value: { state: 'running', run: 2 },
    });
  });

  it('stops mid-run at once: sending ends, the echoes in flight drain, and the summary says stopped', async () => {
    await setup('handled');
    await dispatchCommand(handlers, 'startLoad', { ...REQUEST, durationS: 60, crashFraction: 0 });
    await pollUntil((s) => s.state === 'running' && s.progress !== null && s.progress.roundTrips > 0);
    const askedAt = performance.now();
    expect(await dispatchCommand(handlers, 'stopLoad', {})).toMatchObject({
      ok: true,
      value: { state: 'running', stopping: true },
    });
    const end = (await pollUntil((s) => s.state !== 'running')).at(-1)!;
    expect(performance.now() - askedAt).toBeLessThan(3000);
    if (end.state !== 'ended') throw new Error(`expected a summary, got ${JSON.stringify(end)}`);
    expect(end.summary.endedBy).toBe('stopped');
    expect(end.summary.sendingMs).toBeLessThan(10_000);
    expect(end.summary.errors.count + end.summary.mismatches.count).toBe(0);
    expect(end.summary.messages.echoed).toBeGreaterThan(0);
    // Stopping again (or with nothing running) answers the status as it is.
    expect(await dispatchCommand(handlers, 'stopLoad', {})).toEqual({ ok: true, value: end });
  });

  it("Stop (the server's) ends a running load first, so none of its connections is cut by the stop", async () => {
    await setup('handled');
    await dispatchCommand(handlers, 'startLoad', { ...REQUEST, durationS: 60, crashFraction: 0 });
    await pollUntil((s) => s.state === 'running' && s.progress !== null && s.progress.open === 50);
    const stopped = await dispatchCommand(handlers, 'stop', {});
    expect(stopped.ok).toBe(true);
    const end = await status();
    if (end.state !== 'ended') throw new Error(`expected a summary, got ${JSON.stringify(end)}`);
    expect(end.summary.endedBy).toBe('stopped');
    expect(end.summary.errors.count).toBe(0);
    // The load closed its own connections, so the server's stop had none left to cancel.
    expect(engine.bus.state.counters).toMatchObject({ accepted: 50, completed: 50, cancelled: 0 });
  });

  it('refuses bad requests with one clear line, and a run with no server to aim at', async () => {
    await setup('handled', false);
    expect(await refusal('startLoad', REQUEST)).toEqual({
      code: 'not-running',
      message: 'Start the server first: the load generator connects to it',
    });
    await engine.start({ port: 0 });
    const cases: [unknown, string][] = [
      [
        { ...REQUEST, connections: 0 },
        `connections must be a whole number from 1 to ${MAX_LOAD_CONNECTIONS}`,
      ],
      [
        { ...REQUEST, connections: MAX_LOAD_CONNECTIONS + 1 },
        `connections must be a whole number from 1 to ${MAX_LOAD_CONNECTIONS}`,
      ],
      [{ ...REQUEST, rate: '10' }, 'rate must be a number from 0 to 1000'],
      [{ ...REQUEST, size: 1.5 }, 'size must be a whole number from 1 to 65536'],
      [{ ...REQUEST, durationS: 0 }, 'duration must be a number from 0.1 to 600'],
      [{ ...REQUEST, crashFraction: 2 }, 'crash fraction must be a number from 0 to 1'],
      [{ ...REQUEST, port: 80 }, 'Unknown argument "port"'],
      [{ connections: 1, rate: 1, size: 1, durationS: 1 }, 'Missing argument "crashFraction"'],
      [
        { ...REQUEST, connections: 20_000, rate: 1000, durationS: 600 },
        `connections × rate × duration must be at most ${MAX_LOAD_MESSAGES} messages`,
      ],
      ['fifty', 'Arguments must be an object'],
    ];
    for (const [args, message] of cases)
      expect(await refusal('startLoad', args)).toEqual({ code: 'invalid-args', message });
    expect(await refusal('stopLoad', { now: true })).toMatchObject({ code: 'invalid-args' });
    expect(await status()).toEqual({ state: 'idle' });
  });
});
