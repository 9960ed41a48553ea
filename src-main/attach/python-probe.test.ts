import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/events';
import { type AppRoot, createAppRoot } from '../core/app-root';

const PROBE_DIR = resolve(__dirname, '../../probe');
const LISTING_1 = resolve(PROBE_DIR, 'tests/listings/listing1_plain.py');

function pythonMissing(): string | null {
  const found = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) return 'python3 is not installed (or does not run) here';
  const version = /Python 3\.(\d+)/.exec(`${found.stdout}${found.stderr}`);
  if (!version || Number(version[1]) < 10)
    return `the probe needs CPython 3.10 or newer, found ${found.stdout}`;
  return null;
}

const missing = pythonMissing();
if (missing) console.warn(`Skipping the real-CPython probe tests: ${missing}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A client of the Python echo server: what it has read so far, and whether the server closed. */
class Client {
  text = '';
  ended = false;
  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (t: string) => {
      this.text += t;
    });
    socket.on('end', () => {
      this.ended = true;
    });
    socket.on('close', () => {
      this.ended = true;
    });
    socket.on('error', () => {});
  }
  static async open(port: number): Promise<Client> {
    for (let attempt = 0; ; attempt++) {
      try {
        const socket = await new Promise<Socket>((ok, fail) => {
          const s = connect({ host: '127.0.0.1', port }, () => ok(s));
          s.once('error', fail);
        });
        return new Client(socket);
      } catch (e) {
        if (attempt > 100) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}

let root: AppRoot | null = null;
let child: ChildProcess | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.length = 0;
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  await root?.shutdown();
  root = null;
});

describe.skipIf(missing !== null)(
  'a real CPython running the article’s first listing under the probe',
  () => {
    it('shows boom as a failed task with its traceback and the warning; Ctrl-C cancels the rest at recv', async () => {
      const logs: string[] = [];
      root = createAppRoot({ gc: null }, undefined, { log: (l) => logs.push(l), probeDir: PROBE_DIR });
      const events: EngineEvent[] = [];
      root.bus.onEvent((e) => events.push(e));
      const listened = await root.attach!.listen('127.0.0.1', 0);
      if (!listened.ok) throw new Error(listened.error.message);
      const serverPort = await freePort();
      child = spawn(
        'python3',
        [
          '-m',
          'echoscope_probe',
          '--to',
          `127.0.0.1:${listened.value.port}`,
          '--token',
          root.attach!.probeToken,
          LISTING_1,
          String(serverPort),
        ],
        {
          env: { ...process.env, PYTHONPATH: PROBE_DIR, PYTHONUNBUFFERED: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString('utf8');
      });
      const attached = await until(() => events.find((e) => e.kind === 'attached'), 'the probe to attach');
      expect(attached).toMatchObject({ process: { implementation: 'CPython', script: LISTING_1 } });

      const a = await Client.open(serverPort);
      const b = await Client.open(serverPort);
      sockets.push(a.socket, b.socket);
      const echoTasks = () =>
        [...root!.bus.state.tasks.values()].filter(
          (t) => t.pythonTask?.coroutine === 'echo' && t.state === 'running',
        );
      await until(() => echoTasks().length === 2, 'two echo tasks');
      a.socket.write('hello\r\n');
      await until(() => a.text === 'hello\r\n', 'the first echo');
      const [taskA, taskB] = [...echoTasks()].sort((x, y) => x.id - y.id);
      const byPort = (c: Client) => [taskA, taskB].find((t) => t?.peerPort === c.socket.localPort) ?? null;
      // Known now: a socket forgets its port once closed.
      const idA = byPort(a)!.id;
      const idB = byPort(b)!.id;

      b.socket.write('boom\r\n');
      await until(() => events.find((e) => e.kind === 'unretrieved' && e.taskId === idB), 'the warning');
      const failed = root.bus.state.tasks.get(idB)!;
      expect(failed.state).toBe('failed');
      expect(failed.error?.name).toBe('Exception');
      expect(failed.error?.message).toBe('Unexpected network error');
      expect(failed.error?.stack).toMatch(/^Traceback \(most recent call last\):/);
      expect(failed.error?.stack).toMatch(/raise Exception\("Unexpected network error"\)/);
      expect(failed.unretrieved).toBe('gc');
      expect(root.bus.state.warnings.at(-1)?.message).toBe('Exception: Unexpected network error');
      // CPython itself still prints its warning, as without the probe.
      await until(() => stderr.includes('Task exception was never retrieved'), 'CPython’s own warning');

      a.socket.write('still here\r\n');
      await until(() => a.text.endsWith('still here\r\n'), 'the other client still echoing');
      expect(root.bus.state.tasks.get(idA)?.state).toBe('running');

      // Cancel task from Echoscope: the probe cancels it on its loop, at its await point.
      const c = await Client.open(serverPort);
      sockets.push(c.socket);
      const idC = await until(
        () => echoTasks().find((t) => t.id !== idA && t.awaitPoint === 'recv')?.id,
        'a third echo task parked at recv',
      );
      expect(await root.handlers.cancelTask({ taskId: idC })).toEqual({
        ok: true,
        value: { cancelled: true },
      });
      await until(() => root!.bus.state.tasks.get(idC)?.state === 'cancelled', 'the cancelled task');
      expect(root.bus.state.tasks.get(idC)).toMatchObject({ awaitPoint: 'recv', cancelReason: 'user' });

      child.kill('SIGINT');
      const detached = await until(() => events.find((e) => e.kind === 'detached'), 'the process to detach');
      expect(detached).toMatchObject({ reason: 'exit', unended: 0 });
      const aEnd = root.bus.state.tasks.get(idA)!;
      expect(aEnd).toMatchObject({ state: 'cancelled', awaitPoint: 'recv', cancelReason: 'stop' });
      expect(aEnd.awaitDetail).toMatch(/sock_recv/);
      expect(root.bus.state.counters.live).toBe(0);
      const snap = await root.handlers.snapshot({});
      expect(snap.ok && snap.value.status.attached).toMatchObject({ connected: false, exit: 'exit' });
    }, 60_000);
  },
);
