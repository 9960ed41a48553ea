/**
 * The servers under test, each in its own process started through the launch plan: the Node ones
 * (bench/bench-server.ts over IPC) and the article's asyncio server run by python3 (control over signals
 * and JSON lines on stdout). One interface, so every measurement treats them alike.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchReply, BenchRequest, EngineTally } from './bench-protocol';
import type { LaunchPlan } from './process-launch';
import { benchServerScript } from './server-bundle';

export type ServerKind = 'bare' | 'gathered' | 'pipe' | 'engine' | 'asyncio';

const ROOT = resolve(__dirname, '..');
const ASYNCIO_SERVER = resolve(ROOT, 'src-main/core/testing/asyncio-article-server.py');

export interface Memory {
  rss: number;
  /** V8 heap plus external memory (Node servers only). */
  heapAndExternal: number | null;
}

export interface StopResult {
  durationMs: number;
  cancelled: number;
  cancelledEvents: number;
}

export interface ServerProcess {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly port: number;
  /** Memory after a full collection. */
  memory(): Promise<Memory>;
  /** Cancels every live task (closes every connection for the bare servers), timed by the server. */
  stop(): Promise<StopResult>;
  /** The engine's exact counters and what its subscriber saw; null for other servers. */
  tally(): Promise<EngineTally | null>;
  /** Full collections the server's runtime has run since it started; null where not known (Python). */
  majorGcs(): Promise<number | null>;
  exit(): void;
}

/** The python3 that runs the asyncio server, or why there is none. */
export function findPython(): { python: string; version: string } | { reason: string } {
  for (const python of ['python3']) {
    try {
      const version = execFileSync(python, ['--version']).toString().trim();
      const [major, minor] = version.replace('Python ', '').split('.').map(Number);
      // The article's walrus operator needs 3.8.
      if (major! > 3 || (major === 3 && minor! >= 8)) return { python, version };
      return { reason: `${version} is older than 3.8` };
    } catch {
      // try the next
    }
  }
  return { reason: 'no python3 on PATH' };
}

/** Server CPU time in microseconds, from /proc (null where there is none). */
export function cpuMicros(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

/** Open descriptors of a process (null where /proc is missing). */
export function openDescriptors(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kb) * 1024;
}

/** Variables added to a server's environment. */
export type ServerEnv = Readonly<Record<string, string>>;

/**
 * The environment of the servers whose throughput is compared (those whose memory is measured get none).
 * Node mallocs a buffer for each socket read (64 KiB) and frees it soon after. With glibc's default top
 * pad, some processes settle where each such buffer is faulted in afresh and run at half the speed of the
 * next process started the same way: bare Node at 64 KiB on a 2-core VM ran at 480-670 MiB/s with 40-68
 * minor faults per MiB in three processes of four, and at 1,340-1,390 MiB/s with under 1 in the fourth.
 * A 64 MiB top pad keeps that memory in the process: four of four at 1,260-1,740 MiB/s, under 0.5
 * faults/MiB. Every server gets it, asyncio's too, so each is compared at its best; other C libraries
 * ignore it.
 */
export const THROUGHPUT_ENV: ServerEnv = { MALLOC_TOP_PAD_: String(64 * 1024 * 1024) };

export function startNodeServer(
  plan: LaunchPlan,
  kind: ServerKind,
  recvSize = 1024,
  env: ServerEnv = {},
): Promise<ServerProcess> {
  const { command, args } = plan.launch('server', [
    process.execPath,
    '--expose-gc',
    benchServerScript(),
    kind,
    String(recvSize),
  ]);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const request = <T extends BenchReply['type']>(
    req: BenchRequest,
    expect: T,
  ): Promise<Extract<BenchReply, { type: T }>> =>
    new Promise((resolveReply, reject) => {
      const onMessage = (reply: BenchReply): void => {
        if (reply.type !== expect) return;
        done();
        resolveReply(reply as Extract<BenchReply, { type: T }>);
      };
      const onExit = (): void => {
        done();
        reject(new Error(`${kind} server exited before replying '${expect}'`));
      };
      const done = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(req);
    });
  return new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.on('message', (reply: BenchReply) => {
      if (reply.type !== 'ready') return;
      resolveStart({
        kind,
        pid: child.pid!,
        port: reply.port,
        async memory() {
          const m = await request({ type: 'memory' }, 'memory');
          return { rss: m.rss, heapAndExternal: m.heapUsed + m.external };
        },
        async stop() {
          const { durationMs, cancelled, cancelledEvents } = await request({ type: 'stop' }, 'stopped');
          return { durationMs, cancelled, cancelledEvents };
        },
        async tally() {
          return (await request({ type: 'counters' }, 'counters')).engine;
        },
        async majorGcs() {
          return (await request({ type: 'major-gcs' }, 'major-gcs')).count;
        },
        exit: () => exitChild(child),
      });
    });
  });
}

export function startAsyncioServer(
  plan: LaunchPlan,
  python: string,
  recvSize = 1024,
  env: ServerEnv = {},
): Promise<ServerProcess> {
  const { command, args } = plan.launch('server', [python, ASYNCIO_SERVER, '0', '--recv', String(recvSize)]);
  // stderr carries asyncio's own reports (a reset connection's never-retrieved exception): not ours to print.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const waiting = new Map<string, (line: Record<string, unknown>) => void>();
  // Its stdout also carries the article's "Got a connection from" lines: only JSON lines are control.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as Record<string, unknown>;
    const wake = waiting.get(message.type as string);
    waiting.delete(message.type as string);
    wake?.(message);
  });
  const next = (type: string, signal?: NodeJS.Signals): Promise<Record<string, unknown>> =>
    new Promise((resolveLine, reject) => {
      const onExit = (): void => reject(new Error(`asyncio server exited before '${type}'`));
      child.once('exit', onExit);
      waiting.set(type, (line) => {
        child.off('exit', onExit);
        resolveLine(line);
      });
      if (signal) child.kill(signal);
    });
  return next('ready').then((ready) => ({
    kind: 'asyncio',
    pid: child.pid!,
    port: ready.port as number,
    async memory() {
      await next('collected', 'SIGUSR1');
      return { rss: rssOf(child.pid!), heapAndExternal: null };
    },
    async stop() {
      const stopped = await next('stopped', 'SIGTERM');
      const cancelled = stopped.cancelled as number;
      return { durationMs: stopped.durationMs as number, cancelled, cancelledEvents: cancelled };
    },
    tally: async () => null,
    majorGcs: async () => null,
    exit: () => exitChild(child),
  }));
}

function exitChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
