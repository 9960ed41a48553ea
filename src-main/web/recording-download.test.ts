import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingStatus } from '../../src-shared/recording/recording-control';
import { type AppRoot, createAppRoot } from '../core/app-root';
import { roundTrip } from '../core/testing/engine-harness';
import { LoopbackClient } from '../core/testing/loopback-client';
import { startWebHost, type WebHost } from './web-host';

let dir: string;
let root: AppRoot;
let host: WebHost;
let recording: RecordingStatus;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-download-'));
  const rendererDir = join(dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Echoscope</title>');
  root = createAppRoot({ gracePeriodMs: 500 }, { dir: join(dir, 'recordings'), recorder: 'test' });
  host = await startWebHost({
    bus: root.bus,
    handlers: root.handlers,
    rendererDir,
    port: 0,
    recordings: root.recordings,
  });
  const started = await root.handlers.startRecording({});
  if (!started.ok) throw new Error(started.error.message);
  const run = await root.handlers.start({ port: 0 });
  if (!run.ok) throw new Error(run.error.message);
  const c = await LoopbackClient.open(run.value.boundPort!);
  await roundTrip(c, 'hello\n');
  c.destroy();
  await root.handlers.stop({});
  const stopped = await root.handlers.stopRecording({});
  if (!stopped.ok) throw new Error(stopped.error.message);
  recording = stopped.value;
});

afterAll(async () => {
  await host.close();
  await root.shutdown();
  await rm(dir, { recursive: true, force: true });
});

const url = (path: string, token: string | null = host.token): string =>
  `http://127.0.0.1:${host.port}${path}${token === null ? '' : `?token=${token}`}`;

describe('GET /recordings/<file>: the Record toggle recordings as downloads', () => {
  it('serves a recording this host made, as an attachment, byte for byte', async () => {
    const res = await fetch(url(`/recordings/${recording.file}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${recording.file}"`);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(await res.text()).toBe(await readFile(recording.path!, 'utf8'));
  });

  it('needs the token', async () => {
    expect((await fetch(url(`/recordings/${recording.file}`, null))).status).toBe(403);
    expect((await fetch(url(`/recordings/${recording.file}`, 'wrong'))).status).toBe(403);
  });

  it('serves nothing else: other names, other files of the folder, paths out of it', async () => {
    const stranger = 'echoscope-2020-01-01T00-00-00-000Z.ndjson';
    await writeFile(join(dir, 'recordings', stranger), 'not made here\n');
    for (const path of [
      `/recordings/${stranger}`,
      '/recordings/',
      '/recordings/..%2Findex.html',
      '/recordings/%2e%2e/renderer/index.html',
      `/recordings/${recording.file}%00`,
    ]) {
      const res = await fetch(url(path));
      expect(res.status, path).toBe(404);
      await res.text();
    }
  });
});
