import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/events';
import { EchoEngine } from './echo-engine';
import { engineFixtures, eventually, ofKind, roundTrip } from './testing/engine-harness';
import { type LoopbackClient, sleep } from './testing/loopback-client';

const { startEngine, client } = engineFixtures();

describe('echo', () => {
  it('echoes random binary data byte-exactly in odd-sized chunks across many concurrent clients', async () => {
    const { port, events } = await startEngine({ crashWord: 'boom' });
    const payloads = Array.from({ length: 40 }, () =>
      randomBytes(50_000 + Math.floor(Math.random() * 20_000)),
    );
    const cs = await Promise.all(payloads.map(() => client(port)));
    await Promise.all(
      cs.map(async (c, i) => {
        const data = payloads[i]!;
        for (let off = 0; off < data.length; ) {
          const size = 1 + Math.floor(Math.random() * 3000);
          c.write(data.subarray(off, off + size));
          off += size;
          if (off % 7 === 0) await sleep(0);
        }
        await c.untilReceived(data.length, 15_000);
        expect(c.received.equals(data)).toBe(true);
      }),
    );
    expect(ofKind(events, 'accepted')).toHaveLength(40);
    expect(ofKind(events, 'failed')).toHaveLength(0);
  });

  it('coalesces data events per task with exact totals, and reports the await point it waits at', async () => {
    const { port, events, engine } = await startEngine();
    const c = await client(port);
    for (let i = 0; i < 20; i++) await roundTrip(c, `ping ${i}\n`);
    const total = 20 * 'ping 0\n'.length + 10;
    await eventually(() => engine.bus.state.tasks.get(1)?.bytesOut === total, 'the echoes to be reported');
    const received = ofKind(events, 'received');
    expect(received.reduce((n, e) => n + e.reads, 0)).toBe(20);
    expect(received.reduce((n, e) => n + e.bytes, 0)).toBe(total);
    expect(ofKind(events, 'echoed').reduce((n, e) => n + e.sends, 0)).toBe(20);
    // Twenty round trips in a few milliseconds do not cost sixty events.
    expect(events.length).toBeLessThan(30);
    await eventually(() => engine.bus.state.tasks.get(1)?.awaitPoint === 'recv', 'the park at recv');
    expect(ofKind(events, 'parked').every((e) => e.awaitPoint === 'recv')).toBe(true);
    const view = engine.bus.state.tasks.get(1)!;
    expect(view).toMatchObject({ messagesIn: 20, messagesOut: 20, bytesIn: total, bytesOut: total });
  });
});

describe('crash word', () => {
  it('kills only its own task: others keep echoing and the server keeps accepting', async () => {
    const { port, events } = await startEngine({ policy: 'handled' });
    const [a, b, victim] = await Promise.all([client(port), client(port), client(port)]);
    await roundTrip(victim, 'hello\n');
    victim.write('boom\r\n');
    await victim.untilEnded();
    await roundTrip(a, 'still here\n');
    await roundTrip(b, 'me too\n');
    const late = await client(port);
    await roundTrip(late, 'new connection\n');
    const failed = ofKind(events, 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error.message).toBe('Unexpected network error');
    expect(failed[0]!.error.stack).toContain('ConnectionTask.body');
  });

  it('line mode catches a crash line split across reads', async () => {
    const { port, engine } = await startEngine({ match: 'line' });
    const c = await client(port);
    c.write('bo');
    await c.untilReceived(2);
    c.write('om\r\n');
    await eventually(() => engine.bus.state.counters.failed === 1, 'the task to fail');
  });

  it('line mode catches a crash line in the middle of a chunk and echoes what came before it', async () => {
    const { port, engine, events } = await startEngine({ match: 'line' });
    const c = await client(port);
    c.write('first\nboom\nlast\n');
    await eventually(() => engine.bus.state.counters.failed === 1, 'the task to fail');
    await c.untilReceived(6);
    expect(c.received.toString()).toBe('first\n');
    // The crash check follows the recv, as in the article, though "first\n" was sent before it.
    expect(ofKind(events, 'failed')).toMatchObject([{ awaitPoint: 'recv' }]);
  });

  it.each([
    'handled',
    'unhandled',
  ] as const)('with tiny recv slices (%s), everything before the crash line is echoed, in order, and nothing after', async (policy) => {
    const { port, engine } = await startEngine({ match: 'line', recvSize: 3, policy });
    const c = await client(port);
    c.write('first line\nsecond\nboom\nnever echoed\n');
    await eventually(() => engine.bus.state.counters.failed === 1, 'the task to fail');
    // Slices are echoed as they are read, so the crash line's first bytes may already be out.
    await c.untilReceived(18);
    await sleep(50);
    expect(c.received.toString()).toMatch(/^first line\nsecond\n(b|bo|boo)?$/);
  });

  it('line mode leaves boomerang and a boom inside a longer line alone', async () => {
    const { port, engine } = await startEngine({ match: 'line' });
    const c = await client(port);
    await roundTrip(c, 'boomerang\n');
    await roundTrip(c, 'kaboom\n');
    await roundTrip(c, 'boom boom\n');
    expect(engine.bus.state.counters.failed).toBe(0);
  });

  it('exact mode ignores a split crash line and triggers on a single boom\\r\\n read', async () => {
    const { port, engine } = await startEngine({ match: 'exact' });
    const c = await client(port);
    c.write('bo');
    await c.untilReceived(2);
    c.write('om\r\n');
    await c.untilReceived(6);
    expect(c.received.toString()).toBe('boom\r\n');
    expect(engine.bus.state.counters.failed).toBe(0);
    c.write('boom\r\n');
    await eventually(() => engine.bus.state.counters.failed === 1, 'the task to fail');
  });
});

describe('cancellation', () => {
  it('cancels a task parked in send (client not reading) with server memory bounded', async () => {
    const { port, engine, events } = await startEngine();
    const c = await client(port);
    c.socket.pause();
    const chunk = randomBytes(64 * 1024);
    let written = 0;
    // Bounded: at most 32 MiB offered; stop as soon as the client's own buffer backs up too.
    while (written < 32 * 1024 * 1024 && c.socket.writableLength < 4 * 1024 * 1024) {
      c.write(chunk);
      written += chunk.length;
      if (written % (1024 * 1024) === 0) await sleep(1);
    }
    await eventually(() => engine.bus.state.tasks.get(1)?.awaitPoint === 'send', 'the task to park at send');
    await sleep(200);
    const view = engine.bus.state.tasks.get(1)!;
    expect(view.awaitPoint).toBe('send');
    const task = (
      engine as unknown as { live: Map<number, { conn: { unreadBytes: number; unsentBytes: number } }> }
    ).live.get(1)!;
    // Read-ahead (64 KiB + one chunk) plus one recv's echo over the socket's high-water mark.
    expect(task.conn.unreadBytes + task.conn.unsentBytes).toBeLessThan(256 * 1024);
    expect(view.bytesIn).toBeLessThan(written);
    await engine.stop();
    const cancelled = ofKind(events, 'cancelled');
    expect(cancelled).toEqual([expect.objectContaining({ taskId: 1, awaitPoint: 'send', reason: 'stop' })]);
  });

  it('cancels a single task from outside, at its await point, and leaves the others running', async () => {
    const { port, engine, events } = await startEngine({ policy: 'unhandled' });
    const a = await client(port);
    const b = await client(port);
    await roundTrip(a, 'x\n');
    expect(engine.cancelTask(1)).toEqual({ ok: true, value: { cancelled: true } });
    await a.untilEnded();
    expect(ofKind(events, 'cancelled')).toEqual([
      expect.objectContaining({ taskId: 1, awaitPoint: 'recv', reason: 'user' }),
    ]);
    await roundTrip(b, 'y\n');
    expect(engine.cancelTask(1).ok).toBe(false);
    expect(ofKind(events, 'unretrieved')).toHaveLength(0);
  });

  it('closes one connection from the server side: the task reads EOF and completes', async () => {
    const { port, engine, events } = await startEngine();
    const a = await client(port);
    await roundTrip(a, 'x\n');
    expect(engine.closeConnection(1).ok).toBe(true);
    await a.untilEnded();
    await eventually(() => ofKind(events, 'completed').length === 1, 'completion');
    expect(ofKind(events, 'closed')).toEqual([expect.objectContaining({ taskId: 1, reason: 'user' })]);
  });

  it('stop with 1,000 live tasks yields 1,000 cancelled events and leaves no socket open', async () => {
    const { port, engine, events } = await startEngine();
    const cs: LoopbackClient[] = [];
    for (let i = 0; i < 1000; i += 100)
      cs.push(...(await Promise.all(Array.from({ length: 100 }, () => client(port)))));
    await eventually(() => engine.bus.state.counters.live === 1000, '1000 live tasks', 10_000);
    // The event loop runs between slices of a Stop (a page's acks are read there): a callback queued
    // for its next turn finds the Stop part done.
    let cancelledMidStop = -1;
    setImmediate(() => {
      cancelledMidStop = engine.bus.state.counters.cancelled;
    });
    const report = await engine.stop();
    expect(cancelledMidStop).toBeGreaterThan(0);
    expect(cancelledMidStop).toBeLessThan(1000);
    expect(report.ok && report.value.cancelled).toBe(1000);
    const cancelled = ofKind(events, 'cancelled');
    expect(cancelled).toHaveLength(1000);
    expect(new Set(cancelled.map((e) => e.taskId)).size).toBe(1000);
    expect(cancelled.every((e) => e.awaitPoint === 'recv' && e.reason === 'stop')).toBe(true);
    expect(ofKind(events, 'closed')).toHaveLength(1000);
    await Promise.all(cs.map((c) => c.untilEnded()));
    expect(engine.bus.state.counters.live).toBe(0);
  });
});

describe('hostile and unlucky clients', () => {
  it('a reset and a half-close disturb no one else', async () => {
    const { port, events } = await startEngine();
    const [resetter, halfCloser, bystander] = await Promise.all([client(port), client(port), client(port)]);
    await roundTrip(resetter, 'x\n');
    resetter.socket.resetAndDestroy();
    halfCloser.socket.end('last words\n');
    await halfCloser.untilEnded();
    expect(halfCloser.received.toString()).toBe('last words\n');
    await roundTrip(bystander, 'fine\n');
    await eventually(
      () => ofKind(events, 'completed').length + ofKind(events, 'failed').length === 2,
      'both to end',
    );
    const failures = ofKind(events, 'failed');
    // A reset surfaces in recv as ECONNRESET, like ConnectionResetError in asyncio; it ends that task only.
    expect(failures.every((e) => e.taskId === 1)).toBe(true);
  });

  it('a huge line without newline is echoed with bounded crash-detection memory', async () => {
    const { port, engine } = await startEngine();
    const c = await client(port);
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    c.write(big);
    await c.untilReceived(big.length, 15_000);
    c.write('\nboom\n');
    await eventually(() => engine.bus.state.counters.failed === 1, 'the task to fail');
  });
});

describe('server', () => {
  it('says clearly when the port is in use, and a later start works', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const engine = new EchoEngine();
    const result = await engine.start({ port });
    expect(result).toEqual({
      ok: false,
      error: { code: 'port-in-use', message: `Port ${port} is already in use` },
    });
    expect(engine.status().phase).toBe('idle');
    await new Promise((resolve) => blocker.close(resolve));
    const retry = await engine.start({ port });
    expect(retry.ok).toBe(true);
    await engine.stop();
  });

  it('rejects invalid settings without starting', async () => {
    const engine = new EchoEngine();
    expect((await engine.start({ port: 70000 })).ok).toBe(false);
    expect((await engine.start({ policy: 'yolo' })).ok).toBe(false);
    expect((await engine.start({ crashWord: '' })).ok).toBe(false);
    expect(engine.status().phase).toBe('idle');
  });

  it('a late subscriber catches up from a snapshot and its lastSeq', async () => {
    const { port, engine } = await startEngine();
    const a = await client(port);
    await roundTrip(a, 'before\n');
    await eventually(() => engine.bus.state.tasks.get(1)?.bytesIn === 7, 'the data to be reported');
    const batches: EngineEvent[] = [];
    engine.bus.subscribe((b) => batches.push(...b.events));
    const snap = engine.snapshot();
    expect(snap.tasks).toHaveLength(1);
    expect(snap.tasks[0]!.bytesIn).toBe(7);
    const b = await client(port);
    await roundTrip(b, 'after\n');
    await eventually(() => batches.some((e) => e.kind === 'echoed' && e.taskId === 2), 'the batch');
    expect(batches.every((e) => e.seq > snap.lastSeq)).toBe(true);
    expect(batches[0]!.seq).toBe(snap.lastSeq + 1);
  });
});
