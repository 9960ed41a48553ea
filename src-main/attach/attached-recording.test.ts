import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { type AppRoot, createAppRoot } from '../core/app-root';
import { readRecordingFile } from '../recording/recording-file';
import { FakeProbe } from './fake-probe';

const PROCESS = { pid: 99, python: '3.11.7', implementation: 'CPython', script: '/srv/s.py', argv: ['s.py'] };

let root: AppRoot | null = null;
let dir: string | null = null;
let probe: FakeProbe | null = null;

afterEach(async () => {
  probe?.destroy();
  await root?.shutdown();
  if (dir) await rm(dir, { recursive: true, force: true });
  root = probe = dir = null;
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('recording an attached process (the Record toggle)', () => {
  it('writes its events to the file, which replays as the live views showed them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'echoscope-attach-rec-'));
    root = createAppRoot({ gc: null }, { dir, recorder: 'test' }, { log: () => {}, probeDir: '/p' });
    const listened = await root.attach!.listen('127.0.0.1', 0);
    if (!listened.ok) throw new Error(listened.error.message);
    const started = await root.handlers.startRecording({});
    if (!started.ok) throw new Error(started.error.message);

    probe = await FakeProbe.connect(listened.value.port);
    probe.send({ type: 'hello', protocol: 1, token: root.attach!.probeToken, ...PROCESS });
    await probe.message('welcome');
    const at = Date.now();
    const error = {
      name: 'Exception',
      message: 'boom',
      stack: 'Traceback (most recent call last):\nException: boom',
    };
    probe.send({
      type: 'events',
      dropped: 0,
      events: [
        {
          kind: 'accepted',
          seq: 1,
          at,
          taskId: 5,
          peerAddress: '127.0.0.1',
          peerPort: 41000,
          localPort: 8000,
          task: { name: 'Task-5', coroutine: 'echo' },
        },
        { kind: 'parked', seq: 2, at, taskId: 5, awaitPoint: 'recv', awaitDetail: 'loop.sock_recv' },
        {
          kind: 'failed',
          seq: 3,
          at,
          taskId: 5,
          error,
          policy: 'unhandled',
          awaitPoint: 'recv',
          dangling: false,
          awaitDetail: 'loop.sock_recv',
        },
        { kind: 'unretrieved', seq: 4, at, taskId: 5, error, via: 'gc' },
      ],
    });
    probe.send({ type: 'bye', reason: 'exit' });
    probe.end();
    await until(
      () => root!.bus.state.counters.unretrieved === 1 && root!.attach!.attached?.connected === false,
    );
    const stopped = await root.handlers.stopRecording({});
    if (!stopped.ok || !stopped.value.file) throw new Error('stopRecording failed');

    const read = await readRecordingFile(join(dir, stopped.value.file));
    if (!read.ok) throw new Error(read.error.message);
    expect(read.recording.header.eventSchema).toBe(2);
    expect(read.recording.problemCount).toBe(0);
    expect(read.recording.events.map((e) => e.kind)).toEqual([
      'attached',
      'accepted',
      'parked',
      'failed',
      'unretrieved',
      'detached',
    ]);
    const replayed = foldRecording(read.recording.events);
    expect(replayed.status.attached).toEqual({ process: PROCESS, connected: false, exit: 'exit' });
    expect(replayed.tasks[0]).toMatchObject({
      id: 5,
      state: 'failed',
      awaitDetail: 'loop.sock_recv',
      pythonTask: { name: 'Task-5', coroutine: 'echo' },
      unretrieved: 'gc',
    });
    expect(replayed.tasks[0]?.error?.stack).toBe(error.stack);
    expect(replayed.counters).toEqual(root.bus.state.counters);
  });

  it('begun while a process is attached, the file carries it: the replay shows it attached from the first instant', async () => {
    dir = await mkdtemp(join(tmpdir(), 'echoscope-attach-rec-'));
    root = createAppRoot({ gc: null }, { dir, recorder: 'test' }, { log: () => {}, probeDir: '/p' });
    const listened = await root.attach!.listen('127.0.0.1', 0);
    if (!listened.ok) throw new Error(listened.error.message);
    probe = await FakeProbe.connect(listened.value.port);
    probe.send({ type: 'hello', protocol: 1, token: root.attach!.probeToken, ...PROCESS });
    await probe.message('welcome');
    await until(() => root!.attach!.attached?.connected === true);
    const eventsBefore = root.bus.state.counters.events;
    const started = await root.handlers.startRecording({});
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.startedMidRun).toBe(true);
    const at = Date.now();
    probe.send({
      type: 'events',
      dropped: 0,
      events: [
        {
          kind: 'accepted',
          seq: 1,
          at,
          taskId: 7,
          peerAddress: '127.0.0.1',
          peerPort: 41001,
          localPort: 8000,
        },
        { kind: 'completed', seq: 2, at, taskId: 7 },
      ],
    });
    await until(() => root!.bus.state.counters.completed === 1);
    const stopped = await root.handlers.stopRecording({});
    if (!stopped.ok || !stopped.value.file) throw new Error('stopRecording failed');

    const read = await readRecordingFile(join(dir, stopped.value.file));
    if (!read.ok) throw new Error(read.error.message);
    const { header, events } = read.recording;
    expect(header.runAtStart).toEqual({
      phase: 'idle',
      boundPort: null,
      attached: { process: PROCESS, connected: true, exit: null },
      eventsBefore,
    });
    expect(events.map((e) => e.kind)).toEqual(['accepted', 'completed']);
    const first = foldRecording(events, header.startedAt, header);
    expect(first.status.attached).toEqual({ process: PROCESS, connected: true, exit: null });
    const whole = foldRecording(events, Number.POSITIVE_INFINITY, header);
    expect(whole.counters).toEqual(root.bus.state.counters);
  });
});
