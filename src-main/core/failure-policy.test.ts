import { describe, expect, it } from 'vitest';
import type { CollectionMode, FailurePolicy } from '../../src-shared/events';
import { FAILURE_POLICIES, POLICIES } from '../../src-shared/failure-policies';
import { engineFixtures, eventually, ofKind, type Running, roundTrip } from './testing/engine-harness';
import { type LoopbackClient, sleep } from './testing/loopback-client';

const { startEngine, client } = engineFixtures();

/**
 * Crashes one of two clients' tasks. Collected like V8 unless told otherwise, so that a test decides when
 * the collection comes (`prompt-collector.test.ts` tests the CPython-like mode).
 */
async function crashOne(
  policy: FailurePolicy,
  collection: CollectionMode = 'v8',
): Promise<{ r: Running; victim: LoopbackClient; other: LoopbackClient }> {
  const r = await startEngine({ policy, collection });
  const victim = await client(r.port);
  const other = await client(r.port);
  victim.write('boom\n');
  await eventually(() => ofKind(r.events, 'failed').length === 1, 'the task to fail');
  return { r, victim, other };
}

describe.each(FAILURE_POLICIES)('%s, as its row of the policy table says (collected like V8)', (policy) => {
  const row = POLICIES[policy];

  it('treats the exception, the socket and the task as the row says, through a collection and a stop', async () => {
    const { r, victim, other } = await crashOne(policy);
    const dangles = row.socket !== 'closed-at-once';
    expect(ofKind(r.events, 'failed')[0]).toMatchObject({ policy, dangling: dangles });
    if (!dangles) await victim.untilEnded(1000);
    const gc = await r.engine.collectGarbage();
    const collected = !row.retainsTasks && dangles;
    const warnedAtGc = !row.retainsTasks && row.exception === 'never-retrieved';
    expect(gc).toEqual({ ok: true, value: { available: true, finalized: collected || warnedAtGc ? 1 : 0 } });
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(warnedAtGc ? 1 : 0);
    if (row.socket === 'dangles-until-collected') await victim.untilEnded();
    if (row.socket === 'dangles-until-stop') {
      await sleep(100);
      expect(victim.ended || victim.closed).toBe(false);
    }
    await roundTrip(other, 'unaffected\n');
    await r.engine.stop();
    await victim.untilEnded();
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(row.exception === 'never-retrieved' ? 1 : 0);
    expect(r.engine.bus.state.counters.dangling).toBe(0);
  });
});

describe('failure policies, one by one', () => {
  it('unhandled, like V8: the connection dangles until the task is collected, then the warning and EOF', async () => {
    const { r, victim, other } = await crashOne('unhandled');
    expect(ofKind(r.events, 'failed')[0]!.dangling).toBe(true);
    expect(r.engine.bus.state.counters.dangling).toBe(1);
    await sleep(150);
    expect(victim.ended || victim.closed).toBe(false);
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(0);
    const gc = await r.engine.collectGarbage();
    expect(gc).toEqual({ ok: true, value: { available: true, finalized: 1 } });
    await victim.untilEnded();
    const warnings = ofKind(r.events, 'unretrieved');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ via: 'gc', taskId: 1 });
    expect(warnings[0]!.error.stack).toContain('Unexpected network error');
    expect(ofKind(r.events, 'closed').find((e) => e.taskId === 1)?.reason).toBe('finalized');
    expect(r.engine.bus.state.counters.dangling).toBe(0);
    await roundTrip(other, 'unaffected\n');
    await r.engine.stop();
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(1);
  });

  it('unhandled, like V8: a dangling client whose data was never read gets a reset when collected', async () => {
    const { r, victim } = await crashOne('unhandled');
    victim.write('typed while nobody reads\n');
    await sleep(50);
    await r.engine.collectGarbage();
    await victim.untilEnded();
    expect(victim.error?.code).toBe('ECONNRESET');
    expect(ofKind(r.events, 'closed').find((e) => e.taskId === 1)).toMatchObject({
      reason: 'finalized',
      reset: true,
    });
  });

  it('unhandled, like V8: a dangling client that sent nothing more gets a clean EOF when collected', async () => {
    const { r, victim } = await crashOne('unhandled');
    await r.engine.collectGarbage();
    await victim.untilEnded();
    expect(victim.error).toBeNull();
    expect(victim.ended).toBe(true);
    expect(ofKind(r.events, 'closed').find((e) => e.taskId === 1)).toMatchObject({
      reason: 'finalized',
      reset: false,
    });
  });

  it('retained: the connection stays open through gc and the warning comes only at stop', async () => {
    const { r, victim, other } = await crashOne('retained');
    victim.write('piling up unread\n');
    await r.engine.collectGarbage();
    await sleep(100);
    expect(victim.ended || victim.closed).toBe(false);
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(0);
    await roundTrip(other, 'unaffected\n');
    await r.engine.stop();
    const warnings = ofKind(r.events, 'unretrieved');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ via: 'shutdown', taskId: 1 });
    await victim.untilEnded();
    const closed = ofKind(r.events, 'closed').find((e) => e.taskId === 1);
    // It had sent data nobody read: the peer gets a reset, as the kernel would do.
    expect(closed).toMatchObject({ reason: 'stop', reset: true });
    expect(victim.error?.code).toBe('ECONNRESET');
  });

  it('retained: a dangling client that sent nothing more gets a clean EOF at stop', async () => {
    const { r, victim } = await crashOne('retained');
    await r.engine.stop();
    await victim.untilEnded();
    expect(victim.error).toBeNull();
    expect(ofKind(r.events, 'closed').find((e) => e.taskId === 1)).toMatchObject({
      reason: 'stop',
      reset: false,
    });
  });

  it('handled: logs the stack and closes at once; the client sees EOF; no warning ever', async () => {
    const { r, victim, other } = await crashOne('handled');
    await victim.untilEnded(1000);
    expect(victim.error).toBeNull();
    const failed = ofKind(r.events, 'failed')[0]!;
    expect(failed.dangling).toBe(false);
    await eventually(() => ofKind(r.events, 'closed').length === 1, 'the close');
    expect(r.engine.bus.state.counters.dangling).toBe(0);
    expect(failed.error.stack).toMatch(/^Error: Unexpected network error\n\s+at /);
    await roundTrip(other, 'unaffected\n');
    await r.engine.stop();
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(0);
  });
});
