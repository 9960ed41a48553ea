import { describe, expect, it } from 'vitest';
import { obtainGc } from './gc-access';
import { COALESCE_MS, PromptCollector } from './prompt-collector';
import { engineFixtures, eventually, ofKind, roundTrip } from './testing/engine-harness';
import { type LoopbackClient, sleep } from './testing/loopback-client';

const { startEngine, client } = engineFixtures();

const realGc = obtainGc();
if (!realGc) throw new Error('These tests need gc(): obtainGc() found none');

/** The runtime's gc(), counted. */
function countedGc(): { gc: () => void; calls: () => number } {
  let calls = 0;
  return {
    gc: () => {
      calls++;
      realGc?.();
    },
    calls: () => calls,
  };
}

describe('PromptCollector', () => {
  it('runs one collection for every request made while one is pending, after the coalescing delay', async () => {
    const times: number[] = [];
    const collector = new PromptCollector(() => times.push(performance.now()));
    const asked = performance.now();
    for (let i = 0; i < 1000; i++) collector.request();
    await sleep(COALESCE_MS + 40);
    expect(times).toHaveLength(1);
    expect(times[0]! - asked).toBeGreaterThanOrEqual(COALESCE_MS - 1);
    collector.request();
    await sleep(COALESCE_MS + 40);
    expect(collector.runs).toBe(2);
  });

  it('spaces collections by their cost: at most a tenth of the time goes to them', async () => {
    const times: number[] = [];
    const collector = new PromptCollector(() => {
      const started = performance.now();
      times.push(started);
      while (performance.now() - started < 20);
    });
    collector.request();
    await sleep(COALESCE_MS + 30);
    collector.request();
    await eventually(() => times.length === 2, 'the second collection', 2000);
    // 20 ms of collection, then 180 ms before the next may start.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(195);
  });

  it('drops a pending collection when cancelled', async () => {
    let runs = 0;
    const collector = new PromptCollector(() => runs++);
    collector.request();
    collector.cancel();
    await sleep(COALESCE_MS + 30);
    expect(runs).toBe(0);
  });
});

describe('collected like CPython (the default)', () => {
  it('under the default settings, boom prints the warning and the client sees EOF at once; the others echo on', async () => {
    const counted = countedGc();
    const r = await startEngine({}, { gracePeriodMs: 2000, gc: counted.gc });
    expect(r.engine.status().settings).toMatchObject({ policy: 'unhandled', collection: 'cpython' });
    const other = await client(r.port);
    const victim = await client(r.port);
    await roundTrip(victim, 'hello\n');
    const sent = performance.now();
    victim.write('boom\n');
    await victim.untilEnded(1000);
    const latencyMs = performance.now() - sent;
    expect(victim.error).toBeNull();
    expect(victim.ended).toBe(true);
    expect(latencyMs).toBeLessThan(500);
    const warnings = ofKind(r.events, 'unretrieved');
    expect(warnings).toEqual([expect.objectContaining({ taskId: 2, via: 'gc' })]);
    expect(warnings[0]!.error.stack).toContain('Unexpected network error');
    expect(ofKind(r.events, 'closed').find((e) => e.taskId === 2)).toMatchObject({
      reason: 'finalized',
      reset: false,
    });
    expect(counted.calls()).toBe(1);
    expect(r.engine.bus.state.counters.dangling).toBe(0);
    await roundTrip(other, 'unaffected\n');
  });

  it('the warning comes from a real collection: with a gc() that collects nothing, nothing is reported', async () => {
    let calls = 0;
    const r = await startEngine({ policy: 'unhandled' }, { gracePeriodMs: 2000, gc: () => calls++ });
    const victim = await client(r.port);
    victim.write('boom\n');
    await eventually(() => calls === 1, 'the collection request');
    await sleep(200);
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(0);
    expect(victim.ended || victim.closed).toBe(false);
    expect(r.engine.bus.state.counters.dangling).toBe(1);
  });

  it('a storm of crashes costs a few collections, not one each, and every warning and EOF still comes', async () => {
    const counted = countedGc();
    const r = await startEngine({ policy: 'unhandled' }, { gracePeriodMs: 2000, gc: counted.gc });
    const victims: LoopbackClient[] = [];
    for (let i = 0; i < 300; i += 100)
      victims.push(...(await Promise.all(Array.from({ length: 100 }, () => client(r.port)))));
    const bystander = await client(r.port);
    await eventually(() => r.engine.bus.state.counters.live === 301, '301 live tasks');
    for (const v of victims) v.write('boom\n');
    await Promise.all(victims.map((v) => v.untilEnded(5000)));
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(300);
    expect(counted.calls()).toBeGreaterThanOrEqual(1);
    expect(counted.calls()).toBeLessThanOrEqual(10);
    await roundTrip(bystander, 'still echoing\n');
  });

  it.each([
    'handled',
    'retained',
  ] as const)('asks for no collection under %s, where it has nothing to show', async (policy) => {
    const counted = countedGc();
    const r = await startEngine({ policy }, { gracePeriodMs: 2000, gc: counted.gc });
    const victim = await client(r.port);
    victim.write('boom\n');
    await eventually(() => ofKind(r.events, 'failed').length === 1, 'the failure');
    await sleep(COALESCE_MS + 50);
    expect(counted.calls()).toBe(0);
  });

  it('like V8, asks for no collection: the connection dangles until one comes', async () => {
    const counted = countedGc();
    const r = await startEngine(
      { policy: 'unhandled', collection: 'v8' },
      { gracePeriodMs: 2000, gc: counted.gc },
    );
    const victim = await client(r.port);
    victim.write('boom\n');
    await eventually(() => ofKind(r.events, 'failed').length === 1, 'the failure');
    await sleep(COALESCE_MS + 100);
    expect(counted.calls()).toBe(0);
    expect(victim.ended || victim.closed).toBe(false);
    await r.engine.collectGarbage();
    await victim.untilEnded();
    expect(ofKind(r.events, 'unretrieved')).toHaveLength(1);
  });
});
