import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-shared/commands';
import { recordingToTrace } from '../../src-shared/recording/chrome-trace';
import type { RecordingNotice } from '../../src-shared/recording/recording-format';
import { foldRecording } from '../../src-shared/recording/replay-state';
import { traceFormatProblems } from '../../src-shared/testing/trace-event-format';
import { createAppRoot } from '../core/app-root';
import { eventually, roundTrip } from '../core/testing/engine-harness';
import { LoopbackClient } from '../core/testing/loopback-client';
import { readRecordingFile } from './recording-file';
import { RecordingOpenError, recordBus } from './recording-writer';

let dir: string;
let fileNumber = 0;
const nextFile = (): string => join(dir, `recording-${++fileNumber}.ndjson`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-recording-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBack(path: string) {
  const read = await readRecordingFile(path);
  if (!read.ok) throw new Error(read.error.message);
  return read.recording;
}

/** What a live view shows, minus what a replay cannot know (whether this runtime can collect garbage). */
function views(s: Snapshot) {
  return {
    lastSeq: s.lastSeq,
    counters: s.counters,
    tasks: s.tasks,
    warnings: s.warnings,
    clients: s.clients,
    phase: s.status.phase,
    settings: s.status.settings,
  };
}

describe('recording a live session', () => {
  it('folds back, at its end, into exactly the live final counters and task views', async () => {
    const root = createAppRoot({ gracePeriodMs: 2000 });
    const path = nextFile();
    const writer = recordBus(root.bus, { path, settings: null, recorder: 'test' });
    const clients: LoopbackClient[] = [];
    try {
      // Run 1 (unhandled): echoes, a crash left dangling until collected, a user cancel, built-in clients.
      const first = await root.engine.start({ port: 0, policy: 'unhandled' });
      if (!first.ok) throw new Error(first.error.message);
      const port1 = first.value.boundPort!;
      for (let i = 0; i < 5; i++) clients.push(await LoopbackClient.open(port1));
      for (const [i, c] of clients.entries()) await roundTrip(c, `hello ${i}\n`);
      clients[1]!.write('before\nboom\n');
      await eventually(() => root.bus.state.counters.failed === 1, 'the crash');
      await root.engine.collectGarbage();
      const opened = await root.handlers.openClients({ count: 2 });
      if (!opened.ok) throw new Error(opened.error.message);
      await root.handlers.sendClient({
        clientId: opened.value.clientIds[0]!,
        payload: btoa('hi'),
        appendNewline: true,
      });
      await eventually(() => root.bus.state.counters.accepted === 7, 'the built-in clients accepted');
      root.engine.cancelTask(3);
      clients[4]!.destroy();
      await eventually(() => root.bus.state.counters.live === 4, 'the cancel and the close');
      await root.engine.stop();
      // Run 2 (handled): the engine starts from nothing; a crash closes its connection at once.
      const second = await root.engine.start({ port: 0, policy: 'handled' });
      if (!second.ok) throw new Error(second.error.message);
      const c = await LoopbackClient.open(second.value.boundPort!);
      clients.push(c, await LoopbackClient.open(second.value.boundPort!));
      await roundTrip(c, `${'x'.repeat(5000)}\n`);
      c.write('boom\r\n');
      await c.untilEnded();
      await eventually(() => root.bus.state.counters.accepted === 2, 'run 2 accepted');
      await root.engine.stop();
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
      await writer.close();
    }
    const live = root.engine.snapshot();
    const recording = await readBack(path);
    expect(recording.problems).toEqual([]);
    expect(recording.ending).toMatchObject({ notice: 'end', events: writer.eventsRecorded });
    expect(recording.events).toHaveLength(
      live.counters.events + recording.events.findLastIndex((e) => e.kind === 'listening'),
    );
    expect(views(foldRecording(recording.events))).toEqual(views(live));
    expect(live.counters).toMatchObject({ accepted: 2, failed: 1, cancelled: 1 });
    // The first run's moments are there too: its end, folded, is the first run's final state.
    const firstStop = recording.events.find((e) => e.kind === 'stopped')!;
    expect(foldRecording(recording.events, firstStop.at).counters).toMatchObject({
      accepted: 7,
      failed: 1,
      cancelled: 5,
      completed: 1,
      live: 0,
    });
    // And the same recording exports as a valid trace.
    expect(traceFormatProblems(recordingToTrace(recording))).toEqual([]);
  });

  it('stops at its size limit with a notice line, stays within the limit and reads back', async () => {
    const root = createAppRoot();
    const path = nextFile();
    const notices: RecordingNotice[] = [];
    const writer = recordBus(root.bus, {
      path,
      settings: null,
      recorder: 'test',
      limitBytes: 8192,
      onLimit: (n) => notices.push(n),
    });
    const clients: LoopbackClient[] = [];
    try {
      const started = await root.engine.start({ port: 0 });
      if (!started.ok) throw new Error(started.error.message);
      for (let i = 0; i < 40; i++) clients.push(await LoopbackClient.open(started.value.boundPort!));
      await eventually(() => !writer.recording, 'the size limit');
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
      await writer.close();
    }
    expect(notices).toHaveLength(1);
    expect(writer.stoppedBy).toBe('size-limit');
    expect(writer.eventsNotRecorded).toBeGreaterThan(0);
    expect((await stat(path)).size).toBeLessThanOrEqual(8192);
    const recording = await readBack(path);
    expect(recording.ending).toEqual(notices[0]);
    expect(recording.ending?.message).toMatch(/size limit of 8192 bytes/);
    expect(recording.events).toHaveLength(writer.eventsRecorded);
    expect(recording.problems).toEqual([]);
  });

  it('never overwrites a file, and says why it cannot record', async () => {
    const root = createAppRoot();
    const existing = nextFile();
    await writeFile(existing, 'precious\n');
    expect(() => recordBus(root.bus, { path: existing, settings: null, recorder: 'test' })).toThrow(
      new RecordingOpenError(
        `${existing} already exists: choose another file (a recording is never overwritten)`,
      ),
    );
    expect(await readFile(existing, 'utf8')).toBe('precious\n');
    expect(() =>
      recordBus(root.bus, { path: join(dir, 'missing', 'x.ndjson'), settings: null, recorder: 'test' }),
    ).toThrow(/its directory does not exist/);
  });

  it('writes whole lines only: every line of a file read while recording parses', async () => {
    const root = createAppRoot();
    const path = nextFile();
    const writer = recordBus(root.bus, { path, settings: null, recorder: 'test', flushIntervalMs: 5 });
    const clients: LoopbackClient[] = [];
    try {
      const started = await root.engine.start({ port: 0 });
      if (!started.ok) throw new Error(started.error.message);
      for (let i = 0; i < 20; i++) clients.push(await LoopbackClient.open(started.value.boundPort!));
      for (let round = 0; round < 5; round++) {
        for (const c of clients) c.write(`round ${round}\n`);
        await new Promise((r) => setTimeout(r, 20));
        const text = await readFile(path, 'utf8');
        // Read mid-recording, as a kill would leave it: complete lines, each a value.
        expect(text.endsWith('\n')).toBe(true);
        for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      }
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
      await writer.close();
    }
  });
});
