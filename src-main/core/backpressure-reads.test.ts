import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTask } from './connection-task';
import type { EchoEngine } from './echo-engine';
import { engineFixtures, eventually } from './testing/engine-harness';
import { LoopbackClient, sleep } from './testing/loopback-client';
import { hasKernelQueues, tcpQueues } from './testing/tcp-queues';

/**
 * The article's exact crash check under backpressure, against Echoscope and against real CPython running
 * the article's fixed listing, with the same client: it stops reading, sends whole 1 KiB lines until the
 * echo is blocked, then sends `'a'*500` and `boom\r\n` in separate writes, and reads again. A kernel
 * socket hands both to one recv(1024), 506 bytes that are not `boom\r\n`: no crash, and every other read
 * is one whole line.
 */

const { startEngine } = engineFixtures();
const BLOCK = Buffer.concat([Buffer.alloc(1023, 'x'), Buffer.from('\n')]);
const BURST_BLOCKS = 32;
const BURST = Buffer.concat(Array.from({ length: BURST_BLOCKS }, () => BLOCK));

interface ScriptResult {
  /** 1 KiB lines sent before the echo was blocked. */
  blocks: number;
  crashed: boolean;
}

/** The client script; `blocked` tells, for the server at hand, whether its echo is blocked in send. */
async function splitCrashWordWhileBlocked(
  port: number,
  blocked: (client: LoopbackClient) => Promise<boolean>,
): Promise<ScriptResult> {
  const c = await LoopbackClient.open(port);
  try {
    c.socket.pause();
    let blocks = 0;
    do {
      c.write(BURST);
      blocks += BURST_BLOCKS;
      // Handed to the kernel: the next burst is not queued behind it in this process.
      await eventually(() => c.socket.writableLength === 0, 'the burst to leave the client');
    } while (blocks < 16_384 && !(await blocked(c)));
    c.write('a'.repeat(500));
    await sleep(50);
    c.write('boom\r\n');
    await sleep(50);
    c.socket.resume();
    const expected = blocks * BLOCK.length + 506;
    await c.until((x) => x.received.length >= expected || x.ended || x.closed, 45_000, 'the echoes');
    let crashed = c.received.length < expected;
    if (!crashed) {
      c.write('ping\n');
      await c.until((x) => x.received.length >= expected + 5 || x.ended || x.closed, 5000, 'the ping');
      crashed = c.received.length < expected + 5;
    }
    return { blocks, crashed };
  } finally {
    c.destroy();
  }
}

/**
 * Engine side: blocked when the task stays suspended in send; not blocked once it waits in recv having
 * read every byte the client wrote (the socket's own count, so no look at the kernel's tables).
 */
function engineBlocked(engine: EchoEngine): (client: LoopbackClient) => Promise<boolean> {
  return async (client) => {
    const task = (engine as unknown as { live: Map<number, ConnectionTask> }).live.get(1)!;
    let sendingSince: number | null = null;
    for (;;) {
      if (task.awaitPoint === 'send') {
        sendingSince ??= performance.now();
        if (performance.now() - sendingSince > 50) return true;
      } else {
        sendingSince = null;
        const readAll = task.conn.socket.bytesRead === client.socket.bytesWritten;
        if (task.conn.recvWouldWait && readAll) return false;
      }
      await sleep(2);
    }
  };
}

/**
 * CPython side, read from the kernel: blocked when the server leaves received bytes unread while it has
 * bytes it cannot send and the client's receive queue no longer grows, for 300 ms; not blocked once it
 * has read everything.
 */
function kernelBlocked(serverPort: number): (client: LoopbackClient) => Promise<boolean> {
  return async (client) => {
    const clientPort = client.socket.localPort!;
    let stableSince = performance.now();
    let last = '';
    for (;;) {
      const table = tcpQueues();
      const server = table?.get(`${serverPort}>${clientPort}`);
      const own = table?.get(`${clientPort}>${serverPort}`);
      if (!server || !own) throw new Error('the connection is missing from /proc/net/tcp');
      if (server.rx === 0) return false;
      const now = `${server.rx}/${server.tx}/${own.rx}`;
      if (now !== last) {
        last = now;
        stableSince = performance.now();
      } else if (server.tx > 0 && performance.now() - stableSince > 300) return true;
      await sleep(5);
    }
  };
}

const ARTICLE_SERVER = resolve(__dirname, 'testing/asyncio-article-server.py');
const python = spawnSync('python3', ['-c', 'import sys; assert sys.version_info >= (3, 8)']).status === 0;
const skipCPython = !python
  ? 'no python3 (3.8 or later) on PATH'
  : !hasKernelQueues()
    ? 'no /proc/net/tcp to see where the bytes are'
    : null;
if (skipCPython) console.log(`backpressure-reads: the CPython comparison is skipped: ${skipCPython}`);

let cpython: ChildProcess | null = null;
afterEach(() => {
  cpython?.kill('SIGKILL');
  cpython = null;
});

/** The article's fixed listing (it prints 'got data!' per read) under real CPython: its port and read count. */
async function startCPython(): Promise<{ port: number; reads: () => Promise<number> }> {
  const child = spawn('python3', [ARTICLE_SERVER, '0', '--listing', '3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cpython = child;
  let reads = 0;
  let onReady: (port: number) => void = () => {};
  const ready = new Promise<number>((r) => {
    onReady = r;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'got data!') reads++;
    else if (line.startsWith('{"type": "ready"')) onReady(JSON.parse(line).port);
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    port: await ready,
    async reads() {
      // Its stdout is a pipe, so block-buffered: stop it to read every line.
      child.kill('SIGTERM');
      await exited;
      return reads;
    },
  };
}

describe('exact mode with the echo blocked: separate arrivals are one recv, as in CPython', () => {
  it(
    'Echoscope: no crash, and every read but the joined one is a whole line',
    { timeout: 60_000 },
    async () => {
      const { port, engine } = await startEngine({ match: 'exact', policy: 'handled', recvSize: 1024 });
      const result = await splitCrashWordWhileBlocked(port, engineBlocked(engine));
      expect(result.crashed).toBe(false);
      expect(engine.bus.state.counters.failed).toBe(0);
      await eventually(() => engine.bus.state.counters.completed === 1, 'the task to complete');
      // Each line, the joined 506 bytes, and the ping.
      expect(engine.bus.state.tasks.get(1)!.messagesIn).toBe(result.blocks + 2);
    },
  );

  it.skipIf(skipCPython !== null)('CPython: the same client sees the same', { timeout: 60_000 }, async () => {
    const server = await startCPython();
    const result = await splitCrashWordWhileBlocked(server.port, kernelBlocked(server.port));
    expect(result.crashed).toBe(false);
    expect(await server.reads()).toBe(result.blocks + 2);
  });
});
