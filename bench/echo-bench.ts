/**
 * `npm run bench`: the fully instrumented engine against the strongest baselines, in the same run,
 * with the same load from a separate process: bare Node 'data'→write (the bar), socket.pipe (an extra
 * column) and the article's asyncio server under python3 (skipped, with the reason, where there is
 * none). Rounds alternate the servers' order so drift on a shared machine hits all alike; ratios are
 * medians of per-round pairs. Memory figures come from fresh processes. Prints the table with the
 * targets, writes bench/results/echo-bench.json. Bounded: a few minutes with the defaults.
 */
import { loadavg } from 'node:os';
import { RETENTION } from '../src-shared/retention';
import type { EngineTally } from './bench-protocol';
import {
  buildRows,
  type ChurnMemory,
  type IdleResult,
  MESSAGE_BYTES,
  type Measurements,
  type PerServer,
  printRows,
  SCENARIOS,
  THROUGHPUT,
  type ThroughputColumn,
} from './echo-bench-figures';
import { type LoadGenerator, prepareLoadGenerator } from './load-generator';
import { type LaunchPlan, planLaunches } from './process-launch';
import {
  cpuMicros,
  findPython,
  openDescriptors,
  type ServerEnv,
  type ServerKind,
  type ServerProcess,
  startAsyncioServer,
  startNodeServer,
  THROUGHPUT_ENV,
} from './server-process';
import { fmt, writeResults } from './ui-bench-report';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ROUNDS = env('BENCH_ROUNDS', 5);
const SECONDS = env('BENCH_SECONDS', 1);
/** Long enough for a server's heap to grow to what a bulk run needs (its first second faults pages in). */
const WARM_UP_SECONDS = 1;
const IDLE_CONNS = env('BENCH_IDLE_CONNS', 10_000);
const LONG_CHURN = env('BENCH_LONG_CHURN', 100_000);
const LONG_CHURN_MAX_SECONDS = env('BENCH_LONG_CHURN_SECONDS', 30);
/**
 * The engine's RSS after the long churn and a full collection stays within this of its fresh process:
 * the ended tasks the shared retention limit keeps (RETENTION.endedTasks, about 0.75 KB each) plus V8's
 * young generation, which grows to its maximum under churn (bare Node's does too).
 */
const CHURN_RSS_BOUND = 64 * 1024 * 1024;
/** Descriptors a process needs besides its connections (stdio, epoll, IPC, the listener, margin). */
const DESCRIPTOR_MARGIN = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function push<T>(per: PerServer<T[]>, kind: ServerKind, value: T): void {
  const values = per[kind] ?? [];
  values.push(value);
  per[kind] = values;
}

/**
 * Per server kind, the process for the recv(1024) columns. The recv(64 KiB) column starts a fresh
 * process per server and round instead: there, processes started alike differ by up to a third (bare
 * Node ran at 1,000-1,720 MiB/s in consecutive fresh processes), so one process per server for every
 * round made that column's ratio one draw of two processes; a fresh pair per round makes it a median.
 */
type Fleet = PerServer<ServerProcess>;

type Starter = (kind: ServerKind, recvSize?: number, env?: ServerEnv) => Promise<ServerProcess>;

function starter(plan: LaunchPlan, python: string | null): Starter {
  return (kind, recvSize = 1024, env = {}) =>
    kind === 'asyncio'
      ? startAsyncioServer(plan, python!, recvSize, env)
      : startNodeServer(plan, kind, recvSize, env);
}

function scenarioArgs(column: ThroughputColumn, port: number): Array<string | number> {
  switch (column) {
    case 'rtt1':
    case 'rtt100':
      return ['rtt', port, SCENARIOS[column].connections, SECONDS, MESSAGE_BYTES];
    case 'bulk1k':
    case 'bulk64k':
      return ['bulk', port, SCENARIOS[column].connections, SECONDS, 64 * 1024];
    case 'churn':
      return ['churn', port, SCENARIOS.churn.connections, SECONDS, 0, MESSAGE_BYTES];
  }
}

/** Runs `column` against `server` for WARM_UP_SECONDS, unmeasured. */
async function warmUp(load: LoadGenerator, column: ThroughputColumn, server: ServerProcess): Promise<void> {
  const args = scenarioArgs(column, server.port);
  args[3] = WARM_UP_SECONDS;
  await load.run(args);
}

/** The engine's own counts against what its subscriber saw, from each engine process measured. */
type Tallies = Array<EngineTally | null>;

/** Long enough for the subscriber's last batch (batches leave at most every 17 ms). */
const BATCH_SETTLE_MS = 200;

/**
 * Whether every failed/cancelled event reached the subscriber as counted: in the recv(1024) process and
 * in each fresh recv(64 KiB) one (shown summed).
 */
function exactness(narrow: EngineTally | null, wide: Tallies): Measurements['exact'] {
  const all = [narrow, ...wide];
  const ok = all.every(
    (t) => t !== null && t.counters.failed === t.seen.failed && t.counters.cancelled === t.seen.cancelled,
  );
  const sum = (pick: (t: EngineTally) => number, from: Tallies): number =>
    from.reduce((total, t) => total + (t ? pick(t) : 0), 0);
  const describe = (from: Tallies): string =>
    `${sum((t) => t.seen.failed, from)}/${sum((t) => t.counters.failed, from)} failed, ` +
    `${sum((t) => t.seen.cancelled, from)}/${sum((t) => t.counters.cancelled, from)} cancelled`;
  return { ok, detail: `${describe([narrow])}; 64 KiB, ${wide.length} processes: ${describe(wide)}` };
}

/** One measured run of `column` against `server`, recorded under `kind`. */
async function measureRun(
  column: ThroughputColumn,
  kind: ServerKind,
  server: ServerProcess,
  load: LoadGenerator,
  m: Measurements,
): Promise<void> {
  const gcsBefore = await server.majorGcs();
  const cpuBefore = cpuMicros(server.pid);
  const r = await load.run(scenarioArgs(column, server.port));
  const cpuAfter = cpuMicros(server.pid);
  const gcsAfter = await server.majorGcs();
  if (gcsBefore !== null && gcsAfter !== null && r.scenario !== 'hold')
    push(m.majorGcsPerSecond[column], kind, (gcsAfter - gcsBefore) / r.seconds);
  if (r.errors > 0) console.log(`  (${column} against ${kind}: ${r.errors} connection errors)`);
  let units = 0;
  if (r.scenario === 'rtt') {
    units = r.roundTrips;
    push(m.throughput[column], kind, r.roundTrips / r.seconds);
    const lat = m.latency[column as 'rtt1' | 'rtt100'];
    lat[kind] ??= { p50: [], p99: [] };
    lat[kind].p50.push(r.p50us);
    lat[kind].p99.push(r.p99us);
  } else if (r.scenario === 'bulk') {
    units = r.bytes / (1024 * 1024);
    push(m.throughput[column], kind, units / r.seconds);
  } else if (r.scenario === 'churn') {
    units = r.connections;
    push(m.throughput[column], kind, r.connections / r.seconds);
  }
  if (cpuBefore !== null && cpuAfter !== null && units > 0)
    push(m.cpuPerUnit[column], kind, (cpuAfter - cpuBefore) / units);
}

async function measureThroughput(
  fleet: Fleet,
  start: Starter,
  kinds: ServerKind[],
  load: LoadGenerator,
  m: Measurements,
  tallies: Tallies,
) {
  // Every server runs every scenario briefly first, unmeasured: the first round is not its JIT warm-up.
  for (const column of THROUGHPUT)
    if (column !== 'bulk64k') for (const kind of kinds) await warmUp(load, column, fleet[kind]!);
  for (let round = 0; round < ROUNDS; round++) {
    const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!);
    if (round % 2 === 1) order.reverse();
    for (const column of THROUGHPUT) {
      for (const kind of order) {
        if (column !== 'bulk64k') {
          await measureRun(column, kind, fleet[kind]!, load, m);
          continue;
        }
        // Exited whatever happens: a fresh process left running would keep the bench alive.
        const fresh = await start(kind, 64 * 1024, THROUGHPUT_ENV);
        try {
          await warmUp(load, column, fresh);
          await measureRun(column, kind, fresh, load, m);
          if (kind === 'engine') {
            await sleep(BATCH_SETTLE_MS);
            tallies.push(await fresh.tally());
          }
        } finally {
          fresh.exit();
        }
      }
    }
    console.log(`  round ${round + 1}/${ROUNDS} done (load average ${loadavg()[0]!.toFixed(2)})`);
  }
}

/** Waits until the server holds `count` more descriptors than `base` (it accepted them all). */
async function untilAccepted(pid: number, base: number | null, count: number): Promise<void> {
  if (base === null) return sleep(1000);
  const deadline = Date.now() + 15_000;
  while ((openDescriptors(pid) ?? 0) < base + count && Date.now() < deadline) await sleep(50);
  await sleep(200);
}

async function measureIdle(start: Starter, kind: ServerKind, load: LoadGenerator, conns: number) {
  const server = await start(kind);
  try {
    const before = await server.memory();
    const base = openDescriptors(server.pid);
    const held = await load.hold(server.port, conns);
    if (held.result.scenario !== 'hold') throw new Error('hold printed no hold result');
    await untilAccepted(server.pid, base, held.result.connected);
    const after = await server.memory();
    const stop = await server.stop();
    held.release();
    const n = held.result.connected;
    const result: IdleResult = {
      connections: n,
      rssPerConnection: (after.rss - before.rss) / n,
      heapPerConnection:
        after.heapAndExternal === null ? null : (after.heapAndExternal - before.heapAndExternal!) / n,
      stop,
    };
    return result;
  } finally {
    server.exit();
  }
}

async function measureLongChurn(start: Starter, kind: ServerKind, load: LoadGenerator) {
  const server = await start(kind);
  try {
    const fresh = await server.memory();
    const r = await load.run(
      ['churn', server.port, SCENARIOS.churn.connections, LONG_CHURN_MAX_SECONDS, LONG_CHURN, MESSAGE_BYTES],
      (LONG_CHURN_MAX_SECONDS + 30) * 1000,
    );
    if (r.scenario !== 'churn') throw new Error('churn printed no churn result');
    await sleep(300);
    const after = await server.memory();
    const result: ChurnMemory = {
      connections: r.connections,
      perSecond: r.connections / r.seconds,
      unfinished: r.unfinished,
      rssFresh: fresh.rss,
      rssAfter: after.rss,
    };
    return result;
  } finally {
    server.exit();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const plan = planLaunches();
  const load = prepareLoadGenerator(plan);
  const found = findPython();
  const python = 'python' in found ? found.python : null;
  const kinds: ServerKind[] = [
    'bare',
    'gathered',
    'pipe',
    'engine',
    ...(python ? (['asyncio'] as const) : []),
  ];
  const idleConns = Math.min(IDLE_CONNS, plan.openFiles - DESCRIPTOR_MARGIN);
  console.log(`Echoscope bench: ${kinds.join(', ')} (${ROUNDS} alternating rounds of ${SECONDS} s)`);
  console.log(
    `  node ${process.version}; ${'version' in found ? found.version : `asyncio skipped: ${found.reason}`}`,
  );
  console.log(`  load generator: ${load.description}`);
  console.log(
    `  ${plan.cores ? `server pinned to core ${plan.cores.server}, load to core ${plan.cores.load}` : `not pinned (${plan.unpinnedReason})`}; open files ${plan.openFiles}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (idleConns < IDLE_CONNS)
    console.log(
      `  held connections scaled to ${idleConns}: the open-files hard limit is ${plan.openFiles} (raise it with ulimit -Hn)`,
    );

  const m: Measurements = {
    servers: kinds,
    throughput: { rtt1: {}, rtt100: {}, bulk1k: {}, bulk64k: {}, churn: {} },
    latency: { rtt1: {}, rtt100: {} },
    cpuPerUnit: { rtt1: {}, rtt100: {}, bulk1k: {}, bulk64k: {}, churn: {} },
    majorGcsPerSecond: { rtt1: {}, rtt100: {}, bulk1k: {}, bulk64k: {}, churn: {} },
    idle: {},
    longChurn: {},
    churnRssBound: CHURN_RSS_BOUND,
    keptEndedTasks: RETENTION.endedTasks,
    exact: { ok: true, detail: '' },
  };
  const start = starter(plan, python);
  const fleet: Fleet = {};
  for (const kind of kinds) fleet[kind] = await start(kind, 1024, THROUGHPUT_ENV);
  const env = Object.entries(THROUGHPUT_ENV).map(([k, v]) => `${k}=${v}`);
  console.log(
    `\nThroughput (servers started with ${env.join(' ')}: glibc's heap keeps its read buffers; see THROUGHPUT_ENV)`,
  );
  try {
    const wide: Tallies = [];
    await measureThroughput(fleet, start, kinds, load, m, wide);
    await sleep(BATCH_SETTLE_MS);
    m.exact = exactness(await fleet.engine!.tally(), wide);
  } finally {
    for (const kind of kinds) fleet[kind]!.exit();
  }
  // The extra columns differ from bare only in how they write: their memory is bare's.
  const memoryKinds = kinds.filter((k) => k !== 'pipe' && k !== 'gathered');
  console.log(`\nIdle memory and stop (${fmt(idleConns)} held connections, fresh process each)`);
  for (const kind of memoryKinds) m.idle[kind] = await measureIdle(start, kind, load, idleConns);
  console.log(
    `\nRSS after a long churn (${fmt(LONG_CHURN)} connections or ${LONG_CHURN_MAX_SECONDS} s) and a collection`,
  );
  for (const kind of memoryKinds) {
    const r = await measureLongChurn(start, kind, load);
    m.longChurn[kind] = r;
    const open = r.unfinished > 0 ? `, ${r.unfinished} still open when time ran out` : '';
    console.log(`  ${kind}: ${fmt(r.connections)} connections at ${fmt(r.perSecond)}/s${open}`);
  }

  console.log('');
  const rows = buildRows(m);
  printRows(rows, kinds);
  const seconds = (performance.now() - started) / 1000;
  const path = writeResults('echo-bench.json', {
    at: new Date().toISOString(),
    node: process.version,
    python: 'version' in found ? found.version : null,
    loadGenerator: load.description,
    pinned: plan.cores,
    openFiles: plan.openFiles,
    loadAverage: loadavg(),
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    measurements: m,
    rows,
    seconds,
  });
  console.log(
    `\nengine/bare: median of per-round ratios to bare 'data'→write; engine/asyncio likewise. Load average at the end: ${loadavg()[0]!.toFixed(2)}.`,
  );
  console.log(`Results written to ${path} (${fmt(seconds, 1)} s)`);
  process.exit(0);
}

void main();
