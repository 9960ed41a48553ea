import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_PATH } from '../../src-shared/recording/recording-format';
import { readRecordingText } from '../../src-shared/recording/recording-reader';
import { FIXTURE_EVENTS, fixtureText } from '../../src-shared/testing/recording-fixture';
import { ClientPool } from '../core/client-pool';
import { createCommandHandlers } from '../core/command-handlers';
import { EchoEngine } from '../core/echo-engine';
import { EventBus } from '../core/event-bus';
import { readRecordingFile } from '../recording/recording-file';
import { replayHandlers } from './replay-source';
import { httpGet, TestClient } from './test-client';
import { startWebHost, type WebHost } from './web-host';

let dir: string;
let rendererDir: string;
let recordingPath: string;
const hosts: WebHost[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-replay-'));
  rendererDir = join(dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Echoscope</title>');
  recordingPath = join(dir, 'session.ndjson');
  await writeFile(recordingPath, fixtureText());
});
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replayHost(): Promise<WebHost> {
  const read = await readRecordingFile(recordingPath);
  if (!read.ok) throw new Error(read.error.message);
  const source = { path: recordingPath, recording: read.recording };
  const host = await startWebHost({
    bus: new EventBus(),
    handlers: replayHandlers(source),
    rendererDir,
    port: 0,
    replay: source,
  });
  hosts.push(host);
  return host;
}

describe('the browser host replaying a recording', () => {
  it(`serves the checked recording at ${REPLAY_PATH}, with the token only`, async () => {
    const host = await replayHost();
    const res = await httpGet(host.port, `${REPLAY_PATH}?token=${host.token}`, {
      Host: `127.0.0.1:${host.port}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const read = readRecordingText(res.body);
    expect(read.ok && read.recording.events).toEqual(FIXTURE_EVENTS);
    expect(read.ok && read.recording.ending?.notice).toBe('end');
    const refused = await httpGet(host.port, REPLAY_PATH, { Host: `127.0.0.1:${host.port}` });
    expect(refused.status).toBe(403);
  });

  it('refuses every command but snapshot, which shows an idle, empty server', async () => {
    const host = await replayHost();
    const origin = `http://127.0.0.1:${host.port}`;
    const client = await TestClient.open(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, origin);
    try {
      expect(await client.command('start', { port: 0 })).toMatchObject({
        type: 'result',
        result: {
          ok: false,
          error: {
            code: 'replay',
            message: `This dashboard replays ${recordingPath}: there is no live echo server to control`,
          },
        },
      });
      expect(await client.command('snapshot', {})).toMatchObject({
        type: 'result',
        result: { ok: true, value: { lastSeq: 0, tasks: [], status: { phase: 'idle' } } },
      });
    } finally {
      client.close();
    }
  });

  it('a live host has no recording to serve', async () => {
    const engine = new EchoEngine();
    const host = await startWebHost({
      bus: engine.bus,
      handlers: createCommandHandlers(engine, new ClientPool(engine.bus, () => null)),
      rendererDir,
      port: 0,
    });
    hosts.push(host);
    const res = await httpGet(host.port, `${REPLAY_PATH}?token=${host.token}`, {
      Host: `127.0.0.1:${host.port}`,
    });
    expect(res.status).toBe(204);
  });
});

describe('echoscope web --replay', () => {
  function run(args: string[]): {
    child: ChildProcess;
    out: () => string;
    err: () => string;
    exit: Promise<number | null>;
  } {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/cli/main.ts',
        'web',
        '--port',
        '0',
        '--renderer-dir',
        rendererDir,
        ...args,
      ],
      {
        cwd: resolve(__dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, out: () => out, err: () => err, exit };
  }

  it('says what it replays, serves it, and exits 0 on SIGINT', async () => {
    const started = run(['--replay', recordingPath]);
    const deadline = Date.now() + 15_000;
    while (!/The dashboard shows the recording/.test(started.out()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(started.out()).toMatch(
      new RegExp(
        `Replaying ${recordingPath}: ${FIXTURE_EVENTS.length} events over 0\\.1 s, recorded .* by test\\.`,
      ),
    );
    const url = new URL(/Echoscope dashboard: (\S+)/.exec(started.out())![1]!);
    const res = await httpGet(Number(url.port), `${REPLAY_PATH}?token=${url.searchParams.get('token')}`, {
      Host: url.host,
    });
    expect(res.status).toBe(200);
    started.child.kill('SIGINT');
    expect(await started.exit).toBe(0);
  });

  it('refuses an unreadable recording with one line naming it, exit 2', async () => {
    const newer = join(dir, 'newer.ndjson');
    await writeFile(newer, fixtureText().replace('"version":1', '"version":2'));
    const started = run(['--replay', newer]);
    expect(await started.exit).toBe(2);
    expect(started.err()).toBe(
      `echoscope web: ${newer}: Line 1 was written by a newer Echoscope (recording format 2; this version reads format 1 and older)\n`,
    );
  });
});
