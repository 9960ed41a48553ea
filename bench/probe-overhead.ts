/**
 * `npm run bench:probe`: what the Python probe costs the article's asyncio server. The same server
 * (src-main/core/testing/asyncio-article-server.py) runs under python3 with and without
 * `-m echoscope_probe`, under the same load from bench/echo-load.c; with the probe it streams to a
 * minimal attach host in this process that welcomes it and counts what arrives. Rounds alternate the
 * order so drift on a shared machine hits both alike; the ratio is the median of per-round ratios
 * (target: at least 0.8× the round trips per second). Beside it, the server's CPU time per round trip
 * (from /proc): on a machine whose cores other work also uses, throughput swings with scheduling,
 * while the CPU a round trip costs is what the probe adds. Writes bench/results/probe-overhead.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prepareLoadGenerator } from './load-generator';
import { planLaunches } from './process-launch';
import { cpuMicros, findPython } from './server-process';
import { writeResults } from './ui-bench-report';

const ROOT = resolve(__dirname, '..');
const SERVER = resolve(ROOT, 'src-main/core/testing/asyncio-article-server.py');
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ROUNDS = env('BENCH_ROUNDS', 3);
const SECONDS = env('BENCH_SECONDS', 3);
const WARM_UP_SECONDS = 0.3;
const MESSAGE_BYTES = 64;
const TARGET = 0.8;
const COLUMNS = { rtt1: 1, rtt100: 100 } as const;
type Column = keyof typeof COLUMNS;
type Variant = 'plain' | 'probed';

/** The attach host's side of probe/PROTOCOL.md, reduced to what a benchmark needs: welcome and count. */
interface Sink {
  port: number;
  events: number;
  dropped: number;
  close(): void;
}

async function startSink(): Promise<Sink> {
  const sockets = new Set<Socket>();
  const sink: Sink = { port: 0, events: 0, dropped: 0, close: () => undefined };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      const message = JSON.parse(line) as { type?: string; events?: unknown[]; dropped?: number };
      if (message.type === 'hello') socket.write('{"type":"welcome","protocol":1}\n');
      if (message.type === 'events') {
        sink.events += message.events?.length ?? 0;
        sink.dropped = Math.max(sink.dropped, message.dropped ?? 0);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  sink.port = (server.address() as { port: number }).port;
  sink.close = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return sink;
}

interface Running {
  child: ChildProcess;
  port: number;
}

async function startServer(python: string, variant: Variant, sinkPort: number): Promise<Running> {
  const plan = planLaunches();
  const probe = variant === 'probed' ? ['-m', 'echoscope_probe', '--to', `127.0.0.1:${sinkPort}`] : [];
  const { command, args } = plan.launch('server', [python, ...probe, SERVER, '0', '--recv', '1024']);
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, PYTHONPATH: resolve(ROOT, 'probe'), PYTHONDONTWRITEBYTECODE: '1' },
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`asyncio server (${variant}) exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as { type?: string; port?: number };
      if (message.type === 'ready') resolvePort(message.port!);
    });
  });
  return { child, port };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  const found = findPython();
  if (!('python' in found)) {
    console.log(`Probe overhead skipped: ${found.reason}.`);
    return;
  }
  const plan = planLaunches();
  const load = prepareLoadGenerator(plan);
  const sink = await startSink();
  const pinning = plan.cores
    ? `server on core ${plan.cores.server}, load on core ${plan.cores.load}`
    : `not pinned (${plan.unpinnedReason})`;
  console.log(
    `Probe overhead: the article's asyncio server, ${found.version}, with and without -m echoscope_probe\n` +
      `  load: ${load.description}; ${ROUNDS} rounds × ${SECONDS} s per column, ${MESSAGE_BYTES}-byte messages; ${pinning}`,
  );
  const rates: Record<Column, Record<Variant, number[]>> = {
    rtt1: { plain: [], probed: [] },
    rtt100: { plain: [], probed: [] },
  };
  const ratios: Record<Column, number[]> = { rtt1: [], rtt100: [] };
  const cpuPerTrip: Record<Column, Record<Variant, number[]>> = {
    rtt1: { plain: [], probed: [] },
    rtt100: { plain: [], probed: [] },
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order: Variant[] = round % 2 ? ['probed', 'plain'] : ['plain', 'probed'];
    const perRound: Partial<Record<Column, Partial<Record<Variant, number>>>> = {};
    for (const variant of order) {
      const server = await startServer(found.python, variant, sink.port);
      try {
        await load.run(['rtt', server.port, 100, WARM_UP_SECONDS, MESSAGE_BYTES]);
        for (const column of Object.keys(COLUMNS) as Column[]) {
          const cpuBefore = cpuMicros(server.child.pid!);
          const result = await load.run(['rtt', server.port, COLUMNS[column], SECONDS, MESSAGE_BYTES]);
          const cpuAfter = cpuMicros(server.child.pid!);
          if (result.scenario !== 'rtt') throw new Error(`unexpected load result ${result.scenario}`);
          if (cpuBefore !== null && cpuAfter !== null && result.roundTrips > 0) {
            cpuPerTrip[column][variant].push((cpuAfter - cpuBefore) / result.roundTrips);
          }
          if (result.errors > 0) throw new Error(`${variant} ${column}: ${result.errors} connection errors`);
          const rate = result.roundTrips / result.seconds;
          rates[column][variant].push(rate);
          perRound[column] = { ...perRound[column], [variant]: rate };
        }
      } finally {
        server.child.kill('SIGKILL');
        await once(server.child, 'exit');
      }
    }
    for (const column of Object.keys(COLUMNS) as Column[]) {
      ratios[column].push(perRound[column]!.probed! / perRound[column]!.plain!);
    }
    console.log(
      `  round ${round + 1}: ${(Object.keys(COLUMNS) as Column[])
        .map((c) => `${c} ${ratios[c][round]!.toFixed(2)}×`)
        .join(', ')}`,
    );
  }
  sink.close();
  const rows = (Object.keys(COLUMNS) as Column[]).map((column) => {
    const ratio = median(ratios[column]);
    return {
      column,
      connections: COLUMNS[column],
      plainRoundTripsPerSecond: Math.round(median(rates[column].plain)),
      probedRoundTripsPerSecond: Math.round(median(rates[column].probed)),
      ratio,
      meetsTarget: ratio >= TARGET,
      plainCpuMicrosPerRoundTrip: median(cpuPerTrip[column].plain),
      probedCpuMicrosPerRoundTrip: median(cpuPerTrip[column].probed),
    };
  });
  console.log(
    `\n  column   connections   without probe (rt/s)   with probe (rt/s)   ratio   target ≥ ${TARGET}×   server CPU µs/rt without → with\n` +
      rows
        .map(
          (r) =>
            `  ${r.column.padEnd(8)} ${String(r.connections).padStart(11)}   ${String(r.plainRoundTripsPerSecond).padStart(20)}   ${String(r.probedRoundTripsPerSecond).padStart(17)}   ${r.ratio.toFixed(2).padStart(5)}×  ${r.meetsTarget ? 'met   ' : 'MISSED'}        ${r.plainCpuMicrosPerRoundTrip.toFixed(1)} → ${r.probedCpuMicrosPerRoundTrip.toFixed(1)} (${(r.plainCpuMicrosPerRoundTrip / r.probedCpuMicrosPerRoundTrip).toFixed(2)}×)`,
        )
        .join('\n'),
  );
  console.log(
    `\n  The attach host received ${sink.events} events from the probed runs; the probe reported ${sink.dropped} dropped (the last run's count). Ratios: median of per-round ratios. Load average at the end: ${loadavg()[0]!.toFixed(2)}.`,
  );
  writeResults('probe-overhead.json', {
    python: found.version,
    load: load.description,
    rounds: ROUNDS,
    seconds: SECONDS,
    messageBytes: MESSAGE_BYTES,
    rows,
    events: sink.events,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
