/**
 * One server under test, in its own process so its memory is its own: `bare` (the plainest Node
 * echo server) or `engine` (Echoscope fully instrumented, with a subscriber serializing every batch
 * as a host would). Driven by the orchestrator over the IPC channel.
 */
import { createServer, type Socket } from 'node:net';
import { EchoEngine } from '../src-main/core/echo-engine';
import type { BenchReply, BenchRequest } from './bench-protocol';

const kind = process.argv[2];
/** `engine` reads with the article's recv(1024) by default; a second argument overrides it. */
const recvSize = Number(process.argv[3] ?? 1024);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function send(reply: BenchReply): void {
  process.send?.(reply);
}

function memory(): BenchReply {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { type: 'memory', rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
}

async function main(): Promise<void> {
  let port: number;
  let stop: () => Promise<BenchReply>;
  let counters: () => { events: number; batches: number; batchBytes: number } = () => ({
    events: 0,
    batches: 0,
    batchBytes: 0,
  });
  if (kind === 'bare') {
    const sockets = new Set<Socket>();
    const server = createServer({ noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) =>
      server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
    );
    port = (server.address() as { port: number }).port;
    stop = async () => {
      const started = performance.now();
      server.close();
      for (const s of sockets) s.destroy();
      return { type: 'stopped', durationMs: performance.now() - started, cancelled: 0, cancelledEvents: 0 };
    };
  } else {
    const engine = new EchoEngine();
    let batches = 0;
    let batchBytes = 0;
    let cancelledEvents = 0;
    engine.bus.subscribe((batch) => {
      batches++;
      batchBytes += JSON.stringify(batch).length;
      for (const e of batch.events) if (e.kind === 'cancelled') cancelledEvents++;
    });
    const started = await engine.start({ port: 0, policy: 'handled', recvSize });
    if (!started.ok) throw new Error(started.error.message);
    port = started.value.boundPort!;
    counters = () => ({ events: engine.bus.state.counters.events, batches, batchBytes });
    stop = async () => {
      const report = await engine.stop();
      if (!report.ok) throw new Error(report.error.message);
      // Let the final batch reach the subscriber before counting.
      await new Promise((r) => setTimeout(r, 50));
      return {
        type: 'stopped',
        durationMs: report.value.durationMs,
        cancelled: report.value.cancelled,
        cancelledEvents,
      };
    };
  }
  process.on('message', async (msg: BenchRequest) => {
    if (msg.type === 'memory') send(memory());
    else if (msg.type === 'counters') {
      const cpu = process.cpuUsage();
      send({ type: 'counters', ...counters(), cpuMicros: cpu.user + cpu.system });
    } else if (msg.type === 'stop') send(await stop());
    else if (msg.type === 'exit') process.exit(0);
  });
  send({ type: 'ready', port });
}

void main();
