/** `npm run bench`'s table: each server's figure, the engine's ratios to the bar and to asyncio, the targets. */

import type { ServerKind, StopResult } from './server-process';
import { fmt } from './ui-bench-report';

export const THROUGHPUT = ['rtt1', 'rtt100', 'bulk1k', 'bulk64k', 'churn'] as const;
export type ThroughputColumn = (typeof THROUGHPUT)[number];
export type PerServer<T> = Partial<Record<ServerKind, T>>;

export interface IdleResult {
  connections: number;
  rssPerConnection: number;
  heapPerConnection: number | null;
  stop: StopResult;
}

export interface ChurnMemory {
  connections: number;
  perSecond: number;
  /** Connections the server had not closed when the churn's time ran out. */
  unfinished: number;
  rssFresh: number;
  rssAfter: number;
}

export interface Measurements {
  servers: ServerKind[];
  /** One value per round and server, in the unit of the column. */
  throughput: Record<ThroughputColumn, PerServer<number[]>>;
  latency: Record<'rtt1' | 'rtt100', PerServer<{ p50: number[]; p99: number[] }>>;
  /** Server CPU time (user + system, from /proc) per round trip, MiB or connection: steadier than rates on a busy machine. */
  cpuPerUnit: Record<ThroughputColumn, PerServer<number[]>>;
  /** Full collections a second of each round (Node servers): the cost a CPU figure does not name. */
  majorGcsPerSecond: Record<ThroughputColumn, PerServer<number[]>>;
  idle: PerServer<IdleResult>;
  longChurn: PerServer<ChurnMemory>;
  /** Bound on the engine's RSS growth after the long churn and a collection. */
  churnRssBound: number;
  /** Ended tasks the engine keeps (the shared retention limit). */
  keptEndedTasks: number;
  /** Whether every failed/cancelled event reached the subscriber as counted. */
  exact: { ok: boolean; detail: string };
}

export interface Row {
  metric: string;
  load: string;
  values: PerServer<string>;
  /** Engine / bare 'data'→write, and its target. */
  vsBare: string;
  target: string;
  /** Engine / asyncio, with whether the engine is ahead. */
  vsAsyncio: string;
  pass: boolean | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Per-round ratios: each pair ran back to back, under the same load on the machine. */
function roundRatios(a: readonly number[] | undefined, b: readonly number[] | undefined): number[] {
  if (!a || !b || a.length === 0 || a.length !== b.length) return [];
  return a.map((v, i) => v / b[i]!);
}

/** Median of per-round ratios. */
export function pairedRatio(a: readonly number[] | undefined, b: readonly number[] | undefined): number {
  return median(roundRatios(a, b));
}

/**
 * The median ratio and, in brackets, the lowest and highest round's: how far one round can stray on a
 * shared machine, where a busy neighbour slows a whole round by a third.
 */
function ratioWithSpread(a: readonly number[] | undefined, b: readonly number[] | undefined): string {
  const ratios = roundRatios(a, b);
  if (ratios.length < 2) return `${fmt(median(ratios), 3)}x`;
  return `${fmt(median(ratios), 3)}x (rounds ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)})`;
}

const MB = 1024 * 1024;
/** Bytes of each round trip's message, and of each churned connection's one message. */
export const MESSAGE_BYTES = 64;

/** One throughput column: its load (churn: connections in flight) and how its ratio is judged. */
interface Scenario {
  connections: number;
  metric: string;
  /** The load, in words, from `connections`. */
  load: string;
  target: number;
  digits: number;
}

/** Each column's load and target, as issue 11 sets them. */
export const SCENARIOS: Record<ThroughputColumn, Scenario> = {
  rtt1: scenario('round trips/s', 1, 'messages', 0.95, 0),
  rtt100: scenario('round trips/s', 100, 'messages', 0.95, 0),
  bulk1k: scenario('bulk MB/s, recv(1024)', 4, 'streams', 0.9, 1),
  bulk64k: scenario('bulk MB/s, recv(64 KiB)', 4, 'streams', 1.0, 1),
  churn: scenario('churn connections/s', 50, 'in flight', 0.9, 0),
};

function scenario(
  metric: string,
  connections: number,
  carrying: 'messages' | 'streams' | 'in flight',
  target: number,
  digits: number,
): Scenario {
  const conns = `${connections} conn${connections === 1 ? '' : 's'}`;
  const load =
    carrying === 'in flight'
      ? `${connections} in flight`
      : carrying === 'messages'
        ? `${conns}, ${MESSAGE_BYTES} B`
        : conns;
  return { connections, metric, load, target, digits };
}

const CPU_UNITS: Record<ThroughputColumn, string> = {
  rtt1: 'round trip',
  rtt100: 'round trip',
  bulk1k: 'MiB',
  bulk64k: 'MiB',
  churn: 'connection',
};

function values(per: PerServer<number>, digits: number): PerServer<string> {
  const out: PerServer<string> = {};
  for (const [kind, v] of Object.entries(per) as Array<[ServerKind, number]>) out[kind] = fmt(v, digits);
  return out;
}

function ahead(ratio: number, higherIsBetter: boolean): { text: string; ok: boolean | null } {
  if (!Number.isFinite(ratio)) return { text: 'n/a', ok: null };
  const ok = higherIsBetter ? ratio > 1 : ratio < 1;
  return { text: `${fmt(ratio, 2)}x ${ok ? 'ahead' : 'BEHIND'}`, ok };
}

function verdict(...checks: Array<boolean | null>): boolean | null {
  const decided = checks.filter((c): c is boolean => c !== null);
  return decided.length === 0 ? null : decided.every(Boolean);
}

function medians(per: PerServer<number[]>, map: (v: number) => number = (v) => v): PerServer<number> {
  const out: PerServer<number> = {};
  for (const [kind, v] of Object.entries(per) as Array<[ServerKind, number[]]>) out[kind] = map(median(v));
  return out;
}

export function buildRows(m: Measurements): Row[] {
  const rows: Row[] = [];
  for (const column of THROUGHPUT) {
    const { metric, load, target, digits } = SCENARIOS[column];
    const per = m.throughput[column];
    const vsBare = pairedRatio(per.engine, per.bare);
    const vsAsyncio = ahead(pairedRatio(per.engine, per.asyncio), true);
    const bareOk = Number.isFinite(vsBare) ? vsBare >= target : null;
    rows.push({
      metric,
      load,
      values: values(medians(per), digits),
      vsBare: ratioWithSpread(per.engine, per.bare),
      target: `>= ${fmt(target, 2)}x`,
      vsAsyncio: vsAsyncio.text,
      pass: verdict(bareOk, vsAsyncio.ok),
    });
    if (per.gathered)
      rows.push({
        metric: '  engine/gathered (same writes)',
        load: '',
        values: {},
        vsBare: ratioWithSpread(per.engine, per.gathered),
        target: '(info)',
        vsAsyncio: '',
        pass: null,
      });
    const cpu = m.cpuPerUnit[column];
    rows.push({
      metric: `  server CPU us/${CPU_UNITS[column]}`,
      load: '',
      values: values(medians(cpu), 1),
      vsBare: `${fmt(pairedRatio(cpu.engine, cpu.bare), 2)}x`,
      target: '(info)',
      vsAsyncio: ahead(pairedRatio(cpu.engine, cpu.asyncio), false).text,
      pass: null,
    });
    const gcs = m.majorGcsPerSecond[column];
    rows.push({
      metric: '  full GCs/s (median round)',
      load: '',
      values: values(medians(gcs), 1),
      vsBare: '',
      target: '(info)',
      vsAsyncio: '',
      pass: null,
    });
    if (column === 'rtt1' || column === 'rtt100') {
      for (const p of ['p50', 'p99'] as const) {
        const lat: PerServer<number[]> = {};
        for (const [kind, v] of Object.entries(m.latency[column]) as Array<[ServerKind, { p50: number[] }]>)
          lat[kind] = (v as Record<typeof p, number[]>)[p];
        const vs = ahead(pairedRatio(lat.engine, lat.asyncio), false);
        rows.push({
          metric: `  latency ${p} (us)`,
          load: '',
          values: values(medians(lat), 0),
          vsBare: `${fmt(pairedRatio(lat.engine, lat.bare), 2)}x`,
          target: '(info)',
          vsAsyncio: vs.text,
          pass: vs.ok,
        });
      }
    }
  }
  const idle = m.idle;
  const held = idle.engine?.connections ?? 0;
  const idleRss: PerServer<number> = {};
  const idleHeap: PerServer<number> = {};
  const stopMs: PerServer<number> = {};
  for (const [kind, r] of Object.entries(idle) as Array<[ServerKind, IdleResult]>) {
    idleRss[kind] = r.rssPerConnection;
    if (r.heapPerConnection !== null) idleHeap[kind] = r.heapPerConnection;
    stopMs[kind] = r.stop.durationMs;
  }
  const memRatio = (idleRss.engine ?? Number.NaN) / (idleRss.bare ?? Number.NaN);
  const memVs = ahead((idleRss.engine ?? Number.NaN) / (idleRss.asyncio ?? Number.NaN), false);
  rows.push({
    metric: 'RSS B/idle connection',
    load: `${fmt(held)} held, fresh`,
    values: values(idleRss, 0),
    vsBare: `${fmt(memRatio, 2)}x`,
    target: '<= 2x',
    vsAsyncio: memVs.text,
    pass: verdict(Number.isFinite(memRatio) ? memRatio <= 2 : null, memVs.ok),
  });
  rows.push({
    metric: '  heap+ext B/idle conn',
    load: '',
    values: values(idleHeap, 0),
    vsBare: `${fmt((idleHeap.engine ?? Number.NaN) / (idleHeap.bare ?? Number.NaN), 2)}x`,
    target: '(info)',
    vsAsyncio: '',
    pass: null,
  });
  const engineStop = idle.engine?.stop;
  const stopVs = ahead((stopMs.engine ?? Number.NaN) / (stopMs.asyncio ?? Number.NaN), false);
  const stopExact = engineStop ? engineStop.cancelledEvents === held && engineStop.cancelled === held : null;
  rows.push({
    metric: 'stop live tasks (ms)',
    load: `${fmt(held)} live`,
    values: values(stopMs, 1),
    vsBare: engineStop ? `${fmt(engineStop.cancelledEvents)} cancelled events` : '',
    target: '< 1000 ms, 1 each',
    vsAsyncio: stopVs.text,
    pass: verdict(engineStop ? engineStop.durationMs < 1000 && stopExact! : null, stopVs.ok),
  });
  const churned = m.longChurn;
  const after: PerServer<number> = {};
  const growth: PerServer<number> = {};
  for (const [kind, r] of Object.entries(churned) as Array<[ServerKind, ChurnMemory]>) {
    after[kind] = r.rssAfter / MB;
    growth[kind] = (r.rssAfter - r.rssFresh) / MB;
  }
  const engineGrowth = growth.engine ?? Number.NaN;
  const afterVs = ahead((after.engine ?? Number.NaN) / (after.asyncio ?? Number.NaN), false);
  rows.push({
    metric: 'RSS MB after churn + gc',
    load: `${fmt(churned.engine?.connections ?? 0)} churned`,
    values: values(after, 0),
    vsBare: `${fmt((after.engine ?? Number.NaN) / (after.bare ?? Number.NaN), 2)}x`,
    target: '(info)',
    vsAsyncio: afterVs.text,
    pass: afterVs.ok,
  });
  rows.push({
    metric: '  growth over fresh (MB)',
    load: '',
    values: values(growth, 1),
    vsBare: '',
    target: `<= ${fmt(m.churnRssBound / MB)} MB, ${fmt(m.keptEndedTasks)} kept`,
    vsAsyncio: '',
    pass: Number.isFinite(engineGrowth) ? engineGrowth <= m.churnRssBound / MB : null,
  });
  rows.push({
    metric: 'failed/cancelled events exact',
    load: 'subscriber vs counters',
    values: {},
    vsBare: m.exact.detail,
    target: 'equal',
    vsAsyncio: '',
    pass: m.exact.ok,
  });
  return rows;
}

export function printRows(rows: readonly Row[], servers: readonly ServerKind[]): void {
  const header = ['metric', 'load', ...servers, 'engine/bare', 'target', 'engine/asyncio', ''];
  const lines = rows.map((r) => [
    r.metric,
    r.load,
    ...servers.map((k) => r.values[k] ?? ''),
    r.vsBare,
    r.target,
    r.vsAsyncio,
    r.pass === null ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const line of [header, ...lines]) console.log(line.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}
