import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src-shared/commands';
import type { RecordingChunk, RecordingStatus } from '../../src-shared/recording/recording-control';
import { readRecordingText } from '../../src-shared/recording/recording-reader';
import { foldRecording, ReplayCursor } from '../../src-shared/recording/replay-state';
import { type AppRoot, createAppRoot } from '../core/app-root';
import { createCommandHandlers, dispatchCommand } from '../core/command-handlers';
import { eventually, roundTrip } from '../core/testing/engine-harness';
import { LoopbackClient } from '../core/testing/loopback-client';
import { RecordingsFolder, runAtStart } from './recordings-folder';

let base: string;
let folderNumber = 0;
const nextDir = (): string => join(base, `recordings-${++folderNumber}`, 'nested');

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'echoscope-recordings-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Runs a command as a page would: untrusted name and arguments through the dispatcher. */
async function command<T>(root: AppRoot, name: string, args: unknown = {}): Promise<CommandResult<T>> {
  return (await dispatchCommand(root.handlers, name, args)) as CommandResult<T>;
}

async function value<T>(root: AppRoot, name: string, args: unknown = {}): Promise<T> {
  const result = await command<T>(root, name, args);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

/** The whole file, read back by chunks through the `readRecording` command. */
async function readAll(root: AppRoot, file: string): Promise<{ text: string; chunks: number }> {
  let text = '';
  let offset = 0;
  let chunks = 0;
  for (;;) {
    const chunk = await value<RecordingChunk>(root, 'readRecording', { file, offset });
    text += chunk.text;
    chunks++;
    if (chunk.nextOffset >= chunk.size) return { text, chunks };
    expect(chunk.nextOffset).toBeGreaterThan(offset);
    offset = chunk.nextOffset;
  }
}

describe('the Record toggle (RecordingsFolder over the command handlers)', () => {
  it('records every event of a live session into a new file that folds back to the live final state', async () => {
    const dir = nextDir();
    const root = createAppRoot({ gracePeriodMs: 2000 }, { dir, recorder: 'test host' });
    const clients: LoopbackClient[] = [];
    try {
      const idle = await value<RecordingStatus>(root, 'recordingStatus');
      expect(idle).toMatchObject({ active: false, file: null, folder: dir, events: 0 });
      const started = await value<RecordingStatus>(root, 'startRecording');
      expect(started).toMatchObject({ active: true, startedMidRun: false, stoppedBy: null });
      expect(started.file).toMatch(/^echoscope-\d{4}-\d\d-\d\dT[\d-]+Z\.ndjson$/);
      expect(started.path).toBe(join(dir, started.file!));
      const again = await command(root, 'startRecording');
      expect(again).toMatchObject({ ok: false, error: { code: 'already-recording' } });

      const run = await value<{ boundPort: number }>(root, 'start', { port: 0, policy: 'handled' });
      for (let i = 0; i < 3; i++) clients.push(await LoopbackClient.open(run.boundPort));
      for (const [i, c] of clients.entries()) await roundTrip(c, `hello ${i}\n`);
      clients[0]!.write('boom\r\n');
      await eventually(() => root.bus.state.counters.failed === 1, 'the crash');
      const during = await value<RecordingStatus>(root, 'recordingStatus');
      expect(during.active).toBe(true);
      expect(during.events).toBeGreaterThan(5);
      await value(root, 'stop');

      const stopped = await value<RecordingStatus>(root, 'stopRecording');
      expect(stopped).toMatchObject({ active: false, stoppedBy: 'user', message: null, file: started.file });
      expect(stopped.endedAt).toBeGreaterThanOrEqual(stopped.startedAt!);
      expect(stopped.elapsedMs).toBe(stopped.endedAt! - stopped.startedAt!);
      expect(during.elapsedMs).toBeGreaterThan(0);
      expect(await command(root, 'stopRecording')).toMatchObject({
        ok: false,
        error: { code: 'not-recording' },
      });

      const onDisk = await readFile(stopped.path!, 'utf8');
      expect(stopped.bytes).toBe(Buffer.byteLength(onDisk));
      const { text } = await readAll(root, stopped.file!);
      expect(text).toBe(onDisk);
      const read = readRecordingText(text);
      if (!read.ok) throw new Error(read.error.message);
      expect(read.recording.header.recorder).toBe('test host');
      expect(read.recording.ending).toMatchObject({ notice: 'end', events: stopped.events });
      expect(read.recording.events).toHaveLength(stopped.events);
      const live = root.engine.snapshot();
      expect(foldRecording(read.recording.events).counters).toEqual(live.counters);
      expect(live.counters).toMatchObject({ accepted: 3, failed: 1, cancelled: 2 });
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
    }
  });

  it('a recording begun while the server listens carries the run in its header and replays it from the first instant', async () => {
    const dir = nextDir();
    const root = createAppRoot({ gracePeriodMs: 2000 }, { dir, recorder: 'test host' });
    const clients: LoopbackClient[] = [];
    try {
      const run = await value<{ boundPort: number }>(root, 'start', { port: 0, host: '127.0.0.1' });
      // One task before the recording: its later events are in the file, its view and counts are not.
      const before = await LoopbackClient.open(run.boundPort);
      clients.push(before);
      await roundTrip(before, 'before\n');
      const eventsBefore = root.bus.state.counters.events;
      const started = await value<RecordingStatus>(root, 'startRecording');
      expect(started.startedMidRun).toBe(true);
      for (let i = 0; i < 4; i++) clients.push(await LoopbackClient.open(run.boundPort));
      for (const [i, c] of clients.slice(1).entries()) await roundTrip(c, `after ${i}\n`);
      await eventually(() => root.bus.state.counters.accepted === 5, 'the four accepts');
      const liveEvents = root.bus.state.counters.events;
      await value(root, 'stop');
      const stopped = await value<RecordingStatus>(root, 'stopRecording');

      const read = readRecordingText(await readFile(stopped.path!, 'utf8'));
      if (!read.ok) throw new Error(read.error.message);
      const { header, events } = read.recording;
      expect(header.runAtStart).toEqual({ phase: 'listening', boundPort: run.boundPort, eventsBefore });
      expect(header.settings).toMatchObject({ host: '127.0.0.1', port: 0 });
      expect(events.some((e) => e.kind === 'listening')).toBe(false);

      const atStart = foldRecording(events, header.startedAt, header);
      expect(atStart.status).toMatchObject({
        phase: 'listening',
        boundPort: run.boundPort,
        settings: { host: '127.0.0.1' },
      });
      expect(atStart.counters.events).toBe(eventsBefore);
      const beforeStop = new ReplayCursor(events, header);
      beforeStop.seek(events.findIndex((e) => e.kind === 'stopping'));
      const running = beforeStop.snapshot();
      expect(running.status.phase).toBe('listening');
      // The tasks accepted after recording began, exactly; the one before has no view.
      expect(running.counters.accepted).toBe(4);
      expect(running.tasks.map((t) => t.id)).toEqual(
        events.filter((e) => e.kind === 'accepted').map((e) => e.taskId),
      );
      const whole = foldRecording(events, Number.POSITIVE_INFINITY, header);
      expect(whole.status).toMatchObject({ phase: 'idle', boundPort: null });
      expect(whole.counters.accepted).toBe(4);
      // The Events counter matches live's: the events before the file plus every one in it.
      expect(whole.counters.events).toBe(root.bus.state.counters.events);
      expect(whole.counters.events).toBeGreaterThan(liveEvents);
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
    }
  });

  it('reads a large recording back in whole-line chunks, and says when a run was already going', async () => {
    const dir = nextDir();
    const root = createAppRoot({ gracePeriodMs: 2000 });
    const folder = new RecordingsFolder(root.bus, {
      dir,
      recorder: 'test',
      settings: () => root.engine.status().settings,
      runAtStart: () => runAtStart(root.engine.status(), undefined, root.bus.state.counters.events),
      chunkBytes: 4096,
    });
    const handlers = createCommandHandlers(root.engine, root.clients, folder);
    const clients: LoopbackClient[] = [];
    try {
      const run = await root.engine.start({ port: 0 });
      if (!run.ok) throw new Error(run.error.message);
      const started = await folder.start();
      if (!started.ok) throw new Error(started.error.message);
      expect(started.value.startedMidRun).toBe(true);
      expect(started.value.file).not.toBeNull();
      // Non-ASCII text in the previews: a chunk never splits a character.
      for (let i = 0; i < 30; i++) clients.push(await LoopbackClient.open(run.value.boundPort!));
      for (const c of clients) await roundTrip(c, 'größe ✓ 🙂\n');
      await root.engine.stop();
      const stopped = await folder.stop();
      if (!stopped.ok) throw new Error(stopped.error.message);
      const { file, path } = stopped.value;
      let text = '';
      let offset = 0;
      let chunks = 0;
      for (;;) {
        const chunk = await dispatchCommand(handlers, 'readRecording', { file, offset });
        if (!chunk.ok) throw new Error(chunk.error.message);
        const piece = chunk.value as RecordingChunk;
        // Every chunk but the last ends with a whole line.
        if (piece.nextOffset < piece.size) expect(piece.text.endsWith('\n')).toBe(true);
        text += piece.text;
        chunks++;
        if (piece.nextOffset >= piece.size) break;
        offset = piece.nextOffset;
      }
      expect(chunks).toBeGreaterThan(3);
      expect(text).toBe(await readFile(path!, 'utf8'));
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
      await folder.close();
    }
  });

  it('stops at its size limit with the notice, then records anew into another file', async () => {
    const dir = nextDir();
    const root = createAppRoot({ gracePeriodMs: 2000 });
    const folder = new RecordingsFolder(root.bus, {
      dir,
      recorder: 'test',
      settings: () => null,
      runAtStart: () => undefined,
      limitBytes: 8192,
    });
    const clients: LoopbackClient[] = [];
    try {
      const first = await folder.start();
      if (!first.ok) throw new Error(first.error.message);
      const run = await root.engine.start({ port: 0 });
      if (!run.ok) throw new Error(run.error.message);
      for (let i = 0; i < 40; i++) clients.push(await LoopbackClient.open(run.value.boundPort!));
      await eventually(() => !folder.status().active, 'the size limit');
      const limited = folder.status();
      expect(limited).toMatchObject({ stoppedBy: 'size-limit', file: first.value.file });
      expect(limited.message).toMatch(/size limit of 8192 bytes/);
      expect(limited.bytes).toBeLessThanOrEqual(8192);
      for (const c of clients) c.destroy();
      await eventually(() => folder.status().eventsNotRecorded > 0, 'events past the limit counted');

      const second = await folder.start();
      if (!second.ok) throw new Error(second.error.message);
      expect(second.value.file).not.toBe(first.value.file);
      expect(second.value).toMatchObject({ active: true, events: 0, stoppedBy: null, message: null });
      await folder.stop();
      expect((await readdir(dir)).sort()).toEqual([first.value.file, second.value.file].sort());
    } finally {
      for (const c of clients) c.destroy();
      await root.shutdown();
      await folder.close();
    }
  });

  it('serves back only its own recordings, by name; a host without a folder says so', async () => {
    const dir = nextDir();
    const root = createAppRoot(undefined, { dir, recorder: 'test' });
    try {
      await value(root, 'startRecording');
      const status = await value<RecordingStatus>(root, 'stopRecording');
      // A file in the same folder that this host did not make.
      const stranger = 'echoscope-2020-01-01T00-00-00-000Z.ndjson';
      await writeFile(join(dir, stranger), 'not mine\n');
      expect(await command(root, 'readRecording', { file: stranger, offset: 0 })).toMatchObject({
        ok: false,
        error: { code: 'unknown-recording' },
      });
      for (const file of ['../secret.ndjson', '/etc/passwd', 'echoscope-x.txt', '', 42]) {
        expect(await command(root, 'readRecording', { file, offset: 0 })).toMatchObject({
          ok: false,
          error: { code: 'invalid-args' },
        });
      }
      expect(await command(root, 'readRecording', { file: status.file, offset: -1 })).toMatchObject({
        ok: false,
        error: { code: 'invalid-args' },
      });
      // Past the end: nothing more, at the end.
      const past = await value<RecordingChunk>(root, 'readRecording', { file: status.file, offset: 1e9 });
      expect(past).toEqual({ text: '', nextOffset: past.size, size: status.bytes });
    } finally {
      await root.shutdown();
    }
    const bare = createAppRoot();
    for (const name of ['startRecording', 'stopRecording', 'recordingStatus']) {
      expect(await command(bare, name)).toEqual({
        ok: false,
        error: { code: 'no-recordings-folder', message: 'This host keeps no recordings folder' },
      });
    }
    await bare.shutdown();
  });

  it('a folder that cannot be made is a clear error, and nothing is recording', async () => {
    const blocker = join(base, `blocker-${++folderNumber}`);
    await writeFile(blocker, 'a file where the folder should be');
    const root = createAppRoot(undefined, { dir: join(blocker, 'recordings'), recorder: 'test' });
    try {
      const result = await command(root, 'startRecording');
      expect(result).toMatchObject({ ok: false, error: { code: 'recording-folder' } });
      if (!result.ok)
        expect(result.error.message).toContain(`Cannot create the recordings folder ${blocker}`);
      expect(await value<RecordingStatus>(root, 'recordingStatus')).toMatchObject({
        active: false,
        file: null,
      });
    } finally {
      await root.shutdown();
    }
  });

  it('quitting ends a running recording with its end notice after the stop events', async () => {
    const dir = nextDir();
    const root = createAppRoot({ gracePeriodMs: 2000 }, { dir, recorder: 'test' });
    const started = await value<RecordingStatus>(root, 'startRecording');
    const run = await value<{ boundPort: number }>(root, 'start', { port: 0 });
    const c = await LoopbackClient.open(run.boundPort);
    await roundTrip(c, 'hi\n');
    await root.shutdown();
    c.destroy();
    const read = readRecordingText(await readFile(started.path!, 'utf8'));
    if (!read.ok) throw new Error(read.error.message);
    expect(read.recording.ending?.notice).toBe('end');
    expect(read.recording.events.at(-1)?.kind).toBe('stopped');
  });
});
