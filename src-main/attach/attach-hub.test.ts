import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { describeDetach } from '../../src-shared/attached-process';
import type { DetachedEvent, EngineEvent } from '../../src-shared/events';
import { MAX_PROBE_LINE_BYTES } from '../../src-shared/probe-protocol';
import { hostileJsonText, hostileJsonValue } from '../../src-shared/testing/hostile-values';
import { type AppRoot, createAppRoot } from '../core/app-root';
import { FakeProbe } from './fake-probe';

const PROCESS = {
  pid: 4242,
  python: '3.11.7',
  implementation: 'CPython',
  script: '/tmp/server.py',
  argv: ['server.py', '8000'],
};

const TRACEBACK =
  'Traceback (most recent call last):\n  File "/tmp/server.py", line 14, in echo\n    raise Exception(\'Network error\')\nException: Network error';

interface Harness {
  root: AppRoot;
  port: number;
  token: string;
  logs: string[];
  events: EngineEvent[];
  probes: FakeProbe[];
}

let current: Harness | null = null;

async function harness(): Promise<Harness> {
  const logs: string[] = [];
  const root = createAppRoot({ gc: null }, undefined, {
    log: (line) => logs.push(line),
    probeDir: '/repo/probe',
  });
  const hub = root.attach!;
  const listened = await hub.listen('127.0.0.1', 0);
  if (!listened.ok) throw new Error(listened.error.message);
  const events: EngineEvent[] = [];
  root.bus.onEvent((e) => events.push(e));
  current = { root, port: listened.value.port, token: hub.probeToken, logs, events, probes: [] };
  return current;
}

async function probe(h: Harness): Promise<FakeProbe> {
  const p = await FakeProbe.connect(h.port);
  h.probes.push(p);
  return p;
}

async function attached(h: Harness): Promise<FakeProbe> {
  const p = await probe(h);
  p.send({ type: 'hello', protocol: 1, token: h.token, ...PROCESS });
  await p.message('welcome');
  return p;
}

let seq = 0;
const at = () => Date.now();
function accepted(taskId: number, peerPort = 50000 + taskId) {
  return {
    kind: 'accepted',
    seq: ++seq,
    at: at(),
    taskId,
    peerAddress: '127.0.0.1',
    peerPort,
    localPort: 8000,
    task: { name: `Task-${taskId + 1}`, coroutine: 'echo' },
  };
}
function parked(taskId: number, awaitDetail = 'loop.sock_recv') {
  return { kind: 'parked', seq: ++seq, at: at(), taskId, awaitPoint: 'recv', awaitDetail };
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  if (!current) return;
  for (const p of current.probes) p.destroy();
  await current.root.shutdown();
  current = null;
});

describe('AttachHub over a real loopback socket', () => {
  it('welcomes a probe with the token and drives the app state from its events', async () => {
    const h = await harness();
    const p = await attached(h);
    expect(h.events[0]).toMatchObject({ kind: 'attached', process: PROCESS });
    p.send({
      type: 'events',
      dropped: 0,
      events: [
        accepted(1),
        parked(1),
        { kind: 'received', seq: ++seq, at: at(), taskId: 1, bytes: 6, reads: 1, preview: 'aGVsbG8K' },
        { kind: 'echoed', seq: ++seq, at: at(), taskId: 1, bytes: 6, sends: 1 },
        accepted(2),
        {
          kind: 'failed',
          seq: ++seq,
          at: at(),
          taskId: 2,
          error: { name: 'Exception', message: 'Network error', stack: TRACEBACK },
          policy: 'unhandled',
          awaitPoint: 'recv',
          dangling: true,
          awaitDetail: 'loop.sock_recv',
        },
        {
          kind: 'unretrieved',
          seq: ++seq,
          at: at(),
          taskId: 2,
          error: { name: 'Exception', message: 'Network error', stack: TRACEBACK },
          via: 'gc',
        },
        { kind: 'closed', seq: ++seq, at: at(), taskId: 2, reason: 'finalized', reset: false },
      ],
    });
    await until(() => h.events.some((e) => e.kind === 'closed'));
    const result = await h.root.handlers.snapshot({});
    if (!result.ok) throw new Error('snapshot failed');
    const { status, tasks, counters, warnings } = result.value;
    expect(status.attached).toEqual({ process: PROCESS, connected: true, exit: null });
    expect(status.attachListener?.command).toBe(
      `PYTHONPATH=/repo/probe python3 -m echoscope_probe --to 127.0.0.1:${h.port} --token ${h.token} your_server.py`,
    );
    expect(counters).toMatchObject({
      accepted: 2,
      live: 1,
      failed: 1,
      unretrieved: 1,
      bytesIn: 6,
      bytesOut: 6,
    });
    expect(counters.dangling).toBe(0);
    const [echoing, crashed] = tasks;
    expect(echoing).toMatchObject({
      id: 1,
      state: 'running',
      awaitPoint: 'recv',
      awaitDetail: 'loop.sock_recv',
      pythonTask: { name: 'Task-2', coroutine: 'echo' },
    });
    expect(crashed).toMatchObject({ id: 2, state: 'failed', unretrieved: 'gc', socketOpen: false });
    expect(crashed?.error?.stack).toBe(TRACEBACK);
    expect(warnings[0]?.stack).toBe(TRACEBACK);
    // Re-stamped into the app's stream: the bus's own sequence, times never running backwards.
    const seqs = h.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    for (let i = 1; i < h.events.length; i++)
      expect(h.events[i]!.at).toBeGreaterThanOrEqual(h.events[i - 1]!.at);
  });

  it('leaves out a bad line or event with one log line naming it, and keeps the connection', async () => {
    const h = await harness();
    const p = await attached(h);
    p.write('this is not json\n');
    p.send({ type: 'telemetry' });
    p.send({ type: 'events', dropped: 'many', events: [] });
    p.send({
      type: 'events',
      dropped: 3,
      events: [
        accepted(1),
        { kind: 'parked', seq: 9, at: 1, taskId: 1, awaitPoint: 'sleep' },
        { kind: 'listening' },
      ],
    });
    p.send({ type: 'events', dropped: 3, events: [{ ...parked(7) }, accepted(1)] });
    p.send({ type: 'hello', protocol: 1, token: h.token, ...PROCESS });
    p.send({ type: 'events', dropped: 3, events: [parked(1, 'StreamReader.readline')] });
    await until(() => h.events.some((e) => e.kind === 'parked'));
    const problems = h.logs.filter((l) => l.startsWith('Probe '));
    expect(problems).toEqual([
      expect.stringMatching(/line 2 is not valid JSON; left out$/),
      expect.stringMatching(/line 3 has an unknown type "telemetry"; left out$/),
      expect.stringMatching(/line 4 "events" line: dropped: .*; left out$/),
      expect.stringMatching(/2 events left out; event 2 \(parked\): awaitPoint: /),
      expect.stringMatching(/parked event left out: task 7 was never accepted/),
      expect.stringMatching(/accepted event left out: task 1 was already accepted/),
      expect.stringMatching(/line 7 is a second hello; left out$/),
    ]);
    for (const line of problems) expect(line).not.toMatch(/[\r\n]/);
    expect(p.closed).toBe(false);
    const kinds = h.events.map((e) => e.kind);
    expect(kinds).toEqual(['attached', 'accepted', 'parked']);
    expect(h.root.bus.state.tasks.get(1)?.awaitDetail).toBe('StreamReader.readline');
  });

  it('logs at most 20 problems per probe, then counts them and says how many at the detach', async () => {
    const h = await harness();
    const p = await attached(h);
    p.write('not json\n'.repeat(50));
    p.send({ type: 'events', dropped: 0, events: [accepted(1)] });
    await until(() => h.events.some((e) => e.kind === 'accepted'));
    const problems = h.logs.filter((l) => l.startsWith('Probe '));
    expect(problems).toHaveLength(20);
    expect(problems.at(-1)).toMatch(
      /line 21 is not valid JSON; left out \(further problems are counted, not shown\)$/,
    );
    p.destroy();
    await until(() => h.events.some((e) => e.kind === 'detached'));
    expect(h.logs.at(-1)).toMatch(/; 30 more bad lines or events from its probe were left out$/);
  });

  it('survives any hostile line a probe sends: each is left out, and the connection still works after', async () => {
    const h = await harness();
    const p = await attached(h);
    const texts = fc.sample(
      fc.oneof(
        hostileJsonText(),
        hostileJsonValue().map((events) => JSON.stringify({ type: 'events', dropped: 0, events: [events] })),
        hostileJsonValue().map((value) =>
          JSON.stringify({ type: 'cancel-result', requestId: value, cancelled: true }),
        ),
      ),
      { numRuns: 300, seed: 13 },
    );
    // One line each: a newline inside a generated string would only split it into more hostile lines.
    for (const text of texts) p.write(`${text.replace(/\n/g, ' ')}\n`);
    p.send({ type: 'events', dropped: 0, events: [accepted(1)] });
    await until(() => h.events.some((e) => e.kind === 'accepted' && e.taskId === 1));
    expect(p.closed).toBe(false);
    expect(h.root.attach!.isAttached).toBe(true);
    for (const line of h.logs) expect(line).not.toMatch(/[\r\n]/);
  });

  it('refuses a line longer than 1 MiB and closes', async () => {
    const h = await harness();
    const p = await attached(h);
    p.write(Buffer.alloc(MAX_PROBE_LINE_BYTES + 10, 0x61));
    const refused = await p.message('refused');
    // Line 1 was the hello.
    expect(refused.message).toBe(`line 2 is longer than ${MAX_PROBE_LINE_BYTES} bytes`);
    await p.whenClosed();
    await until(() => h.events.some((e) => e.kind === 'detached'));
  });

  it('refuses a wrong or missing token, another protocol, and events before hello', async () => {
    const h = await harness();
    const cases: [unknown, RegExp][] = [
      [{ type: 'hello', protocol: 1, token: 'guess', ...PROCESS }, /^wrong token/],
      [{ type: 'hello', protocol: 1, ...PROCESS }, /^no token/],
      [{ type: 'hello', protocol: 2, token: h.token, ...PROCESS }, /protocol 2 is not supported/],
      [{ type: 'events', dropped: 0, events: [] }, /a probe must say hello first/],
      [{ type: 'hello', protocol: 1, token: h.token, ...PROCESS, pid: -1 }, /"hello" line: pid: /],
    ];
    for (const [hello, expected] of cases) {
      const p = await probe(h);
      p.send(hello);
      const refused = await p.message('refused');
      expect(refused.message).toMatch(expected);
      await p.whenClosed();
    }
    expect(h.events).toEqual([]);
  });

  it('refuses a second probe while one is attached, with the reason; accepts one after it left', async () => {
    const h = await harness();
    const first = await attached(h);
    const second = await probe(h);
    second.send({ type: 'hello', protocol: 1, token: h.token, ...PROCESS, pid: 777 });
    const refused = await second.message('refused');
    expect(refused.message).toBe(
      'Echoscope is already attached to Python 3.11.7 · pid 4242 · server.py; one process at a time',
    );
    await second.whenClosed();
    first.send({ type: 'bye', reason: 'exit' });
    first.end();
    await until(() => h.events.some((e) => e.kind === 'detached'));
    const third = await attached(h);
    expect(third.closed).toBe(false);
    expect(h.events.filter((e) => e.kind === 'attached')).toHaveLength(2);
  });

  it('forwards Cancel task to the probe and answers with its cancel-result', async () => {
    const h = await harness();
    const p = await attached(h);
    p.send({ type: 'events', dropped: 0, events: [accepted(3), parked(3)] });
    await until(() => h.root.bus.state.tasks.get(3)?.awaitPoint === 'recv');
    const pending = h.root.handlers.cancelTask({ taskId: 3 });
    const cancel = await p.message('cancel');
    expect(cancel).toEqual({ type: 'cancel', requestId: expect.any(Number), taskId: 3 });
    p.send({ type: 'cancel-result', requestId: cancel.requestId, cancelled: true });
    expect(await pending).toEqual({ ok: true, value: { cancelled: true } });

    const refused = h.root.handlers.cancelTask({ taskId: 99 });
    const second = await p.until(
      () => p.received.filter((m) => (m as { type: string }).type === 'cancel')[1],
    );
    p.send({
      type: 'cancel-result',
      requestId: (second as { requestId: number }).requestId,
      cancelled: false,
      message: 'no task 99\nhere',
    });
    expect(await refused).toEqual({
      ok: false,
      error: { code: 'not-cancelled', message: 'The probe could not cancel the task: no task 99 here' },
    });
  });

  it('refuses Start and Stop while attached, with the reason, and a probe while the server runs', async () => {
    const h = await harness();
    await attached(h);
    const start = await h.root.handlers.start({ port: 0 });
    expect(start).toEqual({
      ok: false,
      error: {
        code: 'attached',
        message:
          'A Python process is attached (Python 3.11.7 · pid 4242 · server.py): the built-in server can start once it exits',
      },
    });
    const stop = await h.root.handlers.stop({});
    expect(stop.ok).toBe(false);
    if (!stop.ok) expect(stop.error.message).toMatch(/stop that program itself \(Ctrl-C\)$/);
  });

  it('refuses a probe while the built-in server runs', async () => {
    const h = await harness();
    const started = await h.root.handlers.start({ port: 0 });
    expect(started.ok).toBe(true);
    const p = await probe(h);
    p.send({ type: 'hello', protocol: 1, token: h.token, ...PROCESS });
    const refused = await p.message('refused');
    expect(refused.message).toBe(
      "Echoscope's built-in echo server is listening; stop it before attaching a Python process",
    );
  });

  it('detaches when the probe disconnects: tasks stay, the status says it exited, Start works again', async () => {
    const h = await harness();
    const p = await attached(h);
    p.send({ type: 'events', dropped: 5, events: [accepted(1), parked(1), accepted(2), parked(2)] });
    p.send({
      type: 'events',
      dropped: 5,
      events: [{ kind: 'cancelled', seq: ++seq, at: at(), taskId: 1, awaitPoint: 'recv', reason: 'stop' }],
    });
    await until(() => h.events.some((e) => e.kind === 'cancelled'));
    const pendingCancel = h.root.handlers.cancelTask({ taskId: 2 });
    await p.message('cancel');
    p.destroy();
    expect(await pendingCancel).toEqual({
      ok: false,
      error: { code: 'detached', message: 'The Python process exited before it answered the cancel' },
    });
    const detached = await until(() => h.events.find((e) => e.kind === 'detached'));
    expect(detached).toMatchObject({ pid: 4242, reason: 'lost', unended: 1, probeDropped: 5 });
    expect(describeDetach(detached as DetachedEvent)).toBe(
      'Python process 4242 disconnected without saying goodbye (killed or lost); 1 task never reported an end; its probe dropped 5 events',
    );
    const snap = await h.root.handlers.snapshot({});
    if (!snap.ok) throw new Error('snapshot failed');
    expect(snap.value.status.attached).toEqual({ process: PROCESS, connected: false, exit: 'lost' });
    expect(snap.value.tasks.map((t) => [t.id, t.state])).toEqual([
      [1, 'cancelled'],
      [2, 'running'],
    ]);
    expect(await h.root.handlers.cancelTask({ taskId: 2 })).toMatchObject({
      ok: false,
      error: { code: 'detached' },
    });
    const started = await h.root.handlers.start({ port: 0 });
    expect(started.ok).toBe(true);
    const after = await h.root.handlers.snapshot({});
    expect(after.ok && after.value.status.attached).toBeUndefined();
  });

  it('listens on loopback only unless the address was given explicitly', async () => {
    const h = await harness();
    const hub = h.root.attach!;
    await hub.close();
    expect(await hub.listen('0.0.0.0', 0)).toEqual({
      ok: false,
      error: {
        code: 'not-loopback',
        message:
          'Probes attach on loopback only unless the address is given explicitly (--attach-host 0.0.0.0)',
      },
    });
  });
});
