import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FAILURE_POLICIES, POLICIES } from '../../src-shared/failure-policies';
import type { EchoEngine } from './echo-engine';
import { engineFixtures, eventually } from './testing/engine-harness';
import { type LoopbackClient, sleep } from './testing/loopback-client';

const { startEngine, client } = engineFixtures();

/** Fills the client's receive window so the task parks in `send`, as the cancellation tests do. */
async function parkInSend(engine: EchoEngine, c: LoopbackClient): Promise<void> {
  c.socket.pause();
  const chunk = randomBytes(64 * 1024);
  for (let written = 0; written < 32 * 1024 * 1024 && c.socket.writableLength < 4 * 1024 * 1024; ) {
    c.write(chunk);
    written += chunk.length;
    if (written % (1024 * 1024) === 0) await sleep(1);
  }
  await eventually(() => engine.bus.state.tasks.get(1)?.awaitPoint === 'send', 'the task to park at send');
}

/** The policies that would leave a failed task's connection open, were it still open. */
const DANGLING_POLICIES = FAILURE_POLICIES.filter((policy) => POLICIES[policy].socket !== 'closed-at-once');

describe.each(DANGLING_POLICIES)('a peer reset under %s', (policy) => {
  it.each([
    'recv',
    'send',
  ] as const)('fails the task in %s, but its connection is closed, not dangling', async (awaitPoint) => {
    const { engine, port, events } = await startEngine({ policy }, { gracePeriodMs: 500 });
    const c = await client(port);
    if (awaitPoint === 'send') await parkInSend(engine, c);
    else
      await eventually(
        () => engine.bus.state.tasks.get(1)?.awaitPoint === 'recv',
        'the task to park at recv',
      );
    c.socket.resetAndDestroy();
    await eventually(() => events.some((e) => e.kind === 'closed'), 'the close');

    const failed = events.find((e) => e.kind === 'failed');
    expect(failed).toMatchObject({ awaitPoint, policy, dangling: false });
    expect(engine.bus.state.counters).toMatchObject({ failed: 1, dangling: 0 });
    expect(engine.bus.state.tasks.get(1)).toMatchObject({ leftDangling: false, socketOpen: false });
    expect(events.find((e) => e.kind === 'closed')).toMatchObject({ reason: 'peer' });
    // Still a failed task, whose exception nobody retrieves.
    expect(failed).toMatchObject({ error: { message: expect.stringContaining('ECONNRESET') } });
  });
});
