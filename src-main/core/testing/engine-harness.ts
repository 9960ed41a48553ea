import { afterEach, beforeEach, expect } from 'vitest';
import type { StartArgs } from '../../../src-shared/commands';
import type { EngineEvent } from '../../../src-shared/events';
import { EchoEngine, type EngineOptions } from '../echo-engine';
import { LoopbackClient, sleep } from './loopback-client';

/** A started engine, its bound port and every event it emitted. */
export interface Running {
  engine: EchoEngine;
  port: number;
  events: EngineEvent[];
}

/**
 * Engines and loopback clients for one test file: whatever a test starts is stopped and closed after it,
 * and a task's exception must never have become a process-wide unhandled rejection.
 */
export function engineFixtures(): {
  startEngine: (args?: StartArgs, options?: EngineOptions) => Promise<Running>;
  client: (port: number) => Promise<LoopbackClient>;
} {
  let running: Running[] = [];
  let clients: LoopbackClient[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });

  afterEach(async () => {
    for (const c of clients) c.destroy();
    clients = [];
    for (const r of running) if (r.engine.status().phase === 'listening') await r.engine.stop();
    running = [];
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  return {
    async startEngine(args = {}, options = { gracePeriodMs: 2000 }) {
      const engine = new EchoEngine(options);
      const events: EngineEvent[] = [];
      engine.bus.onEvent((e) => events.push(e));
      const result = await engine.start({ port: 0, ...args });
      if (!result.ok) throw new Error(result.error.message);
      const r = { engine, port: result.value.boundPort!, events };
      running.push(r);
      return r;
    },
    async client(port) {
      const c = await LoopbackClient.open(port);
      clients.push(c);
      return c;
    },
  };
}

export function ofKind<K extends EngineEvent['kind']>(
  events: EngineEvent[],
  kind: K,
): Extract<EngineEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<EngineEvent, { kind: K }> => e.kind === kind);
}

export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Echo round trip: proves a connection's task is alive and echoing. */
export async function roundTrip(c: LoopbackClient, text: string): Promise<void> {
  const before = c.received.length;
  c.write(text);
  await c.untilReceived(before + text.length);
  expect(c.received.subarray(before).toString()).toBe(text);
}
