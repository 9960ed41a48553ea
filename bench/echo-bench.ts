/**
 * `npm run bench`: the fully instrumented engine against a bare Node echo server, measured in the same
 * run with the same load from a separate process. Prints ratios to bare and writes bench/results/echo-bench.json.
 * Bounded: fixed connection counts, fixed seconds per round, about a minute in all.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BenchReply, BenchRequest, DriverResult } from './bench-protocol';

type Kind = 'bare' | 'engine';
const KINDS: Kind[] = ['bare', 'engine'];
const RTT_CONNS = Number(process.env.BENCH_RTT_CONNS ?? 50);
const RTT_SECONDS = Number(process.env.BENCH_RTT_SECONDS ?? 3);
const BULK_CONNS = 4;
const BULK_MIB = Number(process.env.BENCH_BULK_MIB ?? 64);
const IDLE_CONNS = Number(process.env.BENCH_IDLE_CONNS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const TSX = ['--import', 'tsx'];

interface ServerProcess {
  child: ChildProcess;
  port: number;
  request<T extends BenchReply['type']>(
    req: BenchRequest,
    expect: T,
  ): Promise<Extract<BenchReply, { type: T }>>;
}

function startServer(kind: Kind, recvSize = 1024): Promise<ServerProcess> {
  const child = fork(resolve(__dirname, 'bench-server.ts'), [kind, String(recvSize)], {
    execArgv: [...TSX, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const request = <T extends BenchReply['type']>(
    req: BenchRequest,
    expect: T,
  ): Promise<Extract<BenchReply, { type: T }>> =>
    new Promise((resolveReply) => {
      const onMessage = (reply: BenchReply): void => {
        if (reply.type !== expect) return;
        child.off('message', onMessage);
        resolveReply(reply as Extract<BenchReply, { type: T }>);
      };
      child.on('message', onMessage);
      child.send(req);
    });
  return new Promise((resolveStart) => {
    const onReady = (reply: BenchReply): void => {
      if (reply.type !== 'ready') return;
      child.off('message', onReady);
      resolveStart({ child, port: reply.port, request });
    };
    child.on('message', onReady);
  });
}

function runDriver(args: string[]): Promise<DriverResult> {
  return new Promise((resolveRun, reject) => {
    const child = fork(resolve(__dirname, 'load-driver.ts'), args, {
      execArgv: TSX,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load driver ${args.join(' ')} timed out`));
    }, 120_000);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolveRun(JSON.parse(out.trim()) as DriverResult);
      } catch {
        reject(new Error(`load driver ${args.join(' ')} printed no result`));
      }
    });
  });
}

/** Median of the engine/bare ratios of each round: each pair ran back to back under similar load. */
function pairedRatio(values: Record<Kind, number[]>): number {
  return median(values.engine.map((v, i) => v / values.bare[i]!));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measureThroughput(servers: Record<Kind, ServerProcess>) {
  const rtt: Record<Kind, number[]> = { bare: [], engine: [] };
  // Server CPU time per round trip: steadier than throughput on a shared machine.
  const cpuPerRtt: Record<Kind, number[]> = { bare: [], engine: [] };
  const bulk: Record<Kind, number[]> = { bare: [], engine: [] };
  let engineEvents = 0;
  let engineSeconds = 0;
  // Alternate the two servers (and which goes first) round by round, so drift on a shared machine
  // hits both alike; ratios are then taken pair by pair.
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
      const before = await servers[kind].request({ type: 'counters' }, 'counters');
      const r = await runDriver(['rtt', String(servers[kind].port), String(RTT_CONNS), String(RTT_SECONDS)]);
      if (r.scenario !== 'rtt' || r.errors > 0) throw new Error(`rtt against ${kind} failed`);
      rtt[kind].push(r.roundTrips / r.seconds);
      const after = await servers[kind].request({ type: 'counters' }, 'counters');
      cpuPerRtt[kind].push((after.cpuMicros - before.cpuMicros) / r.roundTrips);
      if (kind === 'engine') {
        engineEvents += after.events - before.events;
        engineSeconds += r.seconds;
      }
      const b = await runDriver(['bulk', String(servers[kind].port), String(BULK_CONNS), String(BULK_MIB)]);
      if (b.scenario !== 'bulk' || b.errors > 0) throw new Error(`bulk against ${kind} failed`);
      bulk[kind].push(b.bytes / b.seconds / (1024 * 1024));
    }
  }
  return { rtt, cpuPerRtt, bulk, eventRate: engineEvents / engineSeconds };
}

/**
 * Bulk again with the engine reading 64 KiB per recv, as Node itself does: separates the cost of the
 * instrumentation from the cost of the article's recv(1024), which takes 64 awaits per 64 KiB.
 */
async function measureBulkWideReads(bare: ServerProcess): Promise<Record<Kind, number[]>> {
  const wide = await startServer('engine', 64 * 1024);
  const bulk: Record<Kind, number[]> = { bare: [], engine: [] };
  const servers = { bare, engine: wide };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
      const b = await runDriver(['bulk', String(servers[kind].port), String(BULK_CONNS), String(BULK_MIB)]);
      if (b.scenario !== 'bulk' || b.errors > 0) throw new Error(`bulk against ${kind} failed`);
      bulk[kind].push(b.bytes / b.seconds / (1024 * 1024));
    }
  }
  wide.child.send({ type: 'exit' } satisfies BenchRequest);
  return bulk;
}

async function measureIdleAndStop(kind: Kind) {
  const server = await startServer(kind);
  const before = await server.request({ type: 'memory' }, 'memory');
  const holder = fork(
    resolve(__dirname, 'load-driver.ts'),
    ['hold', String(server.port), String(IDLE_CONNS)],
    {
      execArgv: TSX,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const held = await new Promise<DriverResult>((r) => holder.once('message', (m: DriverResult) => r(m)));
  if (held.scenario !== 'hold' || held.errors > 0)
    throw new Error(`could not hold ${IDLE_CONNS} connections on ${kind}`);
  // Let the server accept the whole backlog before measuring.
  await new Promise((r) => setTimeout(r, 500));
  const after = await server.request({ type: 'memory' }, 'memory');
  const stopped = await server.request({ type: 'stop' }, 'stopped');
  holder.send('release');
  server.child.send({ type: 'exit' } satisfies BenchRequest);
  const total = (m: typeof before): number => m.heapUsed + m.external;
  return {
    connections: held.connected,
    bytesPerConnection: (total(after) - total(before)) / held.connected,
    rssPerConnection: (after.rss - before.rss) / held.connected,
    stopMs: stopped.durationMs,
    cancelled: stopped.cancelled,
    cancelledEvents: stopped.cancelledEvents,
  };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Echoscope bench: bare Node echo vs instrumented engine (${ROUNDS} alternating rounds)\n`);
  const servers = { bare: await startServer('bare'), engine: await startServer('engine') };
  const { rtt, cpuPerRtt, bulk, eventRate } = await measureThroughput(servers);
  const bulkWide = await measureBulkWideReads(servers.bare);
  for (const kind of KINDS) servers[kind].child.send({ type: 'exit' } satisfies BenchRequest);
  const idle = { bare: await measureIdleAndStop('bare'), engine: await measureIdleAndStop('engine') };

  const rttRatio = pairedRatio(rtt);
  const bulkRatio = pairedRatio(bulk);
  const cpuRatio = pairedRatio(cpuPerRtt);
  const bulkWideRatio = pairedRatio(bulkWide);
  const memRatio = idle.engine.bytesPerConnection / idle.bare.bytesPerConnection;
  const stopOk = idle.engine.stopMs < 1000 && idle.engine.cancelledEvents === idle.engine.connections;
  const rows = [
    [
      'round trips/s',
      `${RTT_CONNS} conns, 32 B`,
      fmt(median(rtt.bare)),
      fmt(median(rtt.engine)),
      `${fmt(rttRatio, 3)}x`,
      '>= 0.95x',
      verdict(rttRatio >= 0.95),
    ],
    [
      'server CPU us/rtt',
      'same load',
      fmt(median(cpuPerRtt.bare), 1),
      fmt(median(cpuPerRtt.engine), 1),
      `${fmt(cpuRatio, 2)}x`,
      '(info)',
      '',
    ],
    [
      'bulk MB/s',
      `${BULK_CONNS} x ${BULK_MIB} MiB`,
      fmt(median(bulk.bare), 1),
      fmt(median(bulk.engine), 1),
      `${fmt(bulkRatio, 3)}x`,
      '>= 0.95x',
      verdict(bulkRatio >= 0.95),
    ],
    [
      'bulk MB/s, recv(64K)',
      `${BULK_CONNS} x ${BULK_MIB} MiB`,
      fmt(median(bulkWide.bare), 1),
      fmt(median(bulkWide.engine), 1),
      `${fmt(bulkWideRatio, 3)}x`,
      '(info)',
      '',
    ],
    [
      'heap+ext B/idle conn',
      `${fmt(IDLE_CONNS)} held`,
      fmt(idle.bare.bytesPerConnection),
      fmt(idle.engine.bytesPerConnection),
      `${fmt(memRatio, 2)}x`,
      '<= 2x',
      verdict(memRatio <= 2),
    ],
    [
      'RSS B/idle conn',
      `${fmt(IDLE_CONNS)} held`,
      fmt(idle.bare.rssPerConnection),
      fmt(idle.engine.rssPerConnection),
      `${fmt(idle.engine.rssPerConnection / idle.bare.rssPerConnection, 2)}x`,
      '(info)',
      '',
    ],
    [
      'stop, live tasks',
      `${fmt(idle.engine.connections)} live`,
      fmt(idle.bare.stopMs, 1),
      fmt(idle.engine.stopMs, 1),
      `${idle.engine.cancelledEvents} cancelled events`,
      '< 1000 ms, 1 each',
      verdict(stopOk),
    ],
    ['event rate', 'during rtt', '', fmt(eventRate), 'events/s sustained', '', ''],
  ];
  const widths = [22, 18, 12, 12, 24, 18, 5];
  const header = ['metric', 'load', 'bare', 'engine', 'ratio', 'target', ''];
  for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join(' '));
  const results = {
    at: new Date().toISOString(),
    node: process.version,
    rounds: ROUNDS,
    roundTripsPerSecond: { ...rtt, ratio: rttRatio },
    serverCpuRatio: cpuRatio,
    serverCpuMicrosPerRoundTrip: cpuPerRtt,
    bulkMBps: { ...bulk, ratio: bulkRatio },
    bulkMBpsWideReads: { ...bulkWide, ratio: bulkWideRatio },
    idle,
    memoryRatio: memRatio,
    eventRatePerSecond: eventRate,
    seconds: (performance.now() - started) / 1000,
  };
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'echo-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    '\nRatios are medians of per-round engine/bare pairs; throughput on a shared 2-core machine is noisy,',
  );
  console.log('server CPU per round trip is the steadier figure.');
  console.log(`\nResults written to bench/results/echo-bench.json (${fmt(results.seconds, 1)} s)`);
  process.exit(0);
}

void main();
