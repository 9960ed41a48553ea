/**
 * One Node server under test, in its own process so its memory and CPU are its own, driven by the
 * orchestrator over the IPC channel:
 *   bare      the plain Node echo: 'data' → write (the bar)
 *   gathered  bare, with small echoes gathered per turn of the event loop as the engine gathers them
 *             (TurnWriteBatch): the engine's I/O without its instrumentation (an extra column)
 *   pipe      socket.pipe(socket), Node's stream plumbing (an extra column)
 *   engine    Echoscope fully instrumented (policy `handled`), with a subscriber serializing every batch
 *             as a host would. A second argument sets its recv size (default: the article's 1024).
 */
import { createServer, type Socket } from 'node:net';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { EchoEngine } from '../src-main/core/echo-engine';
import { type HeldWrite, SMALL_WRITE_BYTES, turnWrites } from '../src-main/core/turn-write-batch';
import type { EventBatch } from '../src-shared/events';
import type { BenchReply, BenchRequest, EngineTally } from './bench-protocol';

const kind = process.argv[2];
const recvSize = Number(process.argv[3] ?? 1024);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function send(reply: BenchReply): void {
  process.send?.(reply);
}

/**
 * Memory after a full collection: gc() until the heap stops shrinking (one mark-compact leaves sparse
 * old-space pages; the next ones compact them), the same for every Node server.
 */
function memory(): BenchReply {
  let used = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc!();
    const now = process.memoryUsage().heapUsed;
    if (now >= used) break;
    used = now;
  }
  const m = process.memoryUsage();
  return { type: 'memory', rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
}

/**
 * Full collections so far. Under load they are the cost a CPU figure does not name: the engine's slowest
 * bulk rounds are mark-compact after mark-compact, which bare Node's rounds do not have.
 */
let majorGcs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as Array<{ detail?: { kind?: number } }>)
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
}).observe({ entryTypes: ['gc'] });

interface Started {
  port: number;
  stop(): Promise<BenchReply>;
  tally(): EngineTally | null;
}

/** 'data' → write, except that a small echo waits for the turn's end while the engine's batch gathers. */
class GatheredEcho implements HeldWrite {
  private readonly pending: Buffer[] = [];
  private held = false;

  constructor(private readonly socket: Socket) {}

  onData(data: Buffer): void {
    if (data.length <= SMALL_WRITE_BYTES && turnWrites.isGathering) {
      this.pending.push(data);
      if (!this.held) {
        this.held = true;
        turnWrites.hold(this);
      }
      return;
    }
    // Whatever this connection holds leaves first, in order.
    if (this.pending.length > 0) this.flushHeld();
    if (data.length <= SMALL_WRITE_BYTES) turnWrites.wroteNow();
    this.socket.write(data);
  }

  flushHeld(): void {
    this.held = false;
    for (const data of this.pending) this.socket.write(data);
    this.pending.length = 0;
  }
}

async function startBare(variant: 'bare' | 'gathered' | 'pipe'): Promise<Started> {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (variant === 'pipe') socket.pipe(socket);
    else if (variant === 'gathered') {
      const echo = new GatheredEcho(socket);
      socket.on('data', (data) => echo.onData(data));
    } else socket.on('data', (data) => socket.write(data));
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return {
    port: (server.address() as { port: number }).port,
    async stop() {
      const started = performance.now();
      server.close();
      for (const s of sockets) s.destroy();
      return { type: 'stopped', durationMs: performance.now() - started, cancelled: 0, cancelledEvents: 0 };
    },
    tally: () => null,
  };
}

async function startEngine(): Promise<Started> {
  const engine = new EchoEngine();
  const seen = { failed: 0, cancelled: 0, dropped: 0, batches: 0, bytes: 0 };
  engine.bus.subscribe((batch: EventBatch) => {
    seen.batches++;
    seen.dropped += batch.dropped;
    seen.bytes += JSON.stringify(batch).length;
    for (const e of batch.events) {
      if (e.kind === 'failed') seen.failed++;
      else if (e.kind === 'cancelled') seen.cancelled++;
    }
  });
  const started = await engine.start({ port: 0, policy: 'handled', recvSize });
  if (!started.ok) throw new Error(started.error.message);
  return {
    port: started.value.boundPort!,
    async stop() {
      const before = seen.cancelled;
      const report = await engine.stop();
      if (!report.ok) throw new Error(report.error.message);
      // Let the final batch reach the subscriber before counting.
      await new Promise((r) => setTimeout(r, 50));
      return {
        type: 'stopped',
        durationMs: report.value.durationMs,
        cancelled: report.value.cancelled,
        cancelledEvents: seen.cancelled - before,
      };
    },
    tally: () => ({ counters: { ...engine.bus.state.counters }, seen: { ...seen } }),
  };
}

async function main(): Promise<void> {
  const server =
    kind === 'engine'
      ? await startEngine()
      : await startBare(kind === 'pipe' ? 'pipe' : kind === 'gathered' ? 'gathered' : 'bare');
  process.on('message', async (msg: BenchRequest) => {
    if (msg.type === 'memory') send(memory());
    else if (msg.type === 'counters') send({ type: 'counters', engine: server.tally() });
    else if (msg.type === 'stop') send(await server.stop());
    else if (msg.type === 'major-gcs') send({ type: 'major-gcs', count: majorGcs });
    else if (msg.type === 'exit') process.exit(0);
  });
  send({ type: 'ready', port: server.port });
}

void main();
