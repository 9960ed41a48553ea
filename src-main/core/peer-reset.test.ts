import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, FailurePolicy } from '../../src-shared/events';
import { EchoEngine } from './echo-engine';
import { LoopbackClient, sleep } from './testing/loopback-client';

let engine: EchoEngine;
let client: LoopbackClient;

afterEach(async () => {
  client?.destroy();
  if (engine?.status().phase === 'listening') await engine.stop();
});

async function startWith(policy: FailurePolicy): Promise<{ port: number; events: EngineEvent[] }> {
  engine = new EchoEngine({ gracePeriodMs: 500 });
  const events: EngineEvent[] = [];
  engine.bus.onEvent((e) => events.push(e));
  const started = await engine.start({ port: 0, policy });
  if (!started.ok) throw new Error(started.error.message);
  return { port: started.value.boundPort!, events };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(10);
  if (!check()) throw new Error(`Timed out waiting for ${what}`);
}

/** Fills the client's receive window so the task parks in `send`, as the cancellation tests do. */
async function parkInSend(c: LoopbackClient): Promise<void> {
  c.socket.pause();
  const chunk = randomBytes(64 * 1024);
  for (let written = 0; written < 32 * 1024 * 1024 && c.socket.writableLength < 4 * 1024 * 1024; ) {
    c.write(chunk);
    written += chunk.length;
    if (written % (1024 * 1024) === 0) await sleep(1);
  }
  await until(() => engine.bus.state.tasks.get(1)?.awaitPoint === 'send', 'the task to park at send');
}

describe.each<FailurePolicy>(['unhandled', 'retained'])('a peer reset under %s', (policy) => {
  it.each([
    'recv',
    'send',
  ] as const)('fails the task in %s, but its connection is closed, not dangling', async (awaitPoint) => {
    const { port, events } = await startWith(policy);
    client = await LoopbackClient.open(port);
    if (awaitPoint === 'send') await parkInSend(client);
    else await until(() => engine.bus.state.tasks.get(1)?.awaitPoint === 'recv', 'the task to park at recv');
    client.socket.resetAndDestroy();
    await until(() => events.some((e) => e.kind === 'closed'), 'the close');

    const failed = events.find((e) => e.kind === 'failed');
    expect(failed).toMatchObject({ awaitPoint, policy, dangling: false });
    expect(engine.bus.state.counters).toMatchObject({ failed: 1, dangling: 0 });
    expect(engine.bus.state.tasks.get(1)).toMatchObject({ leftDangling: false, socketOpen: false });
    expect(events.find((e) => e.kind === 'closed')).toMatchObject({ reason: 'peer' });
    // Still a failed task, whose exception nobody retrieves.
    expect(failed).toMatchObject({ error: { message: expect.stringContaining('ECONNRESET') } });
  });
});
