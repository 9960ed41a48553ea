/**
 * CPU time of the benchmark's processes over a window, from /proc (Linux): the browser host, the load
 * generator, Chromium (every other descendant of this process), this process, and whatever else the
 * machine ran meanwhile. Evidence for where a 2-core machine's time went during the burst.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Linux's USER_HZ: /proc times are in 1/100 s. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces), so index 0 is field 3 (state).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3]! + n[4]!;
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Every process below `root`, with its stat. */
function tree(root: number): Map<number, ProcStat> {
  const all = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) all.set(Number(name), stat);
  }
  const below = new Map<number, ProcStat>();
  const walk = (pid: number): void => {
    for (const [child, stat] of all) {
      if (stat.ppid !== pid || below.has(child)) continue;
      below.set(child, stat);
      walk(child);
    }
  };
  const self = all.get(root);
  if (self) below.set(root, self);
  walk(root);
  return below;
}

/** Cores used on average over the window, per role. */
export interface CpuUse {
  host: number;
  generator: number;
  chromium: number;
  bench: number;
  /** Processes outside this benchmark (other users of the machine). */
  other: number;
  machineBusy: number;
  cores: number;
  seconds: number;
}

export class CpuMeter {
  private before = new Map<number, ProcStat>();
  private machine = machineTicks();
  private started = 0;

  constructor(private readonly pids: () => { host?: number; generator?: number }) {}

  start(): void {
    this.before = tree(process.pid);
    this.machine = machineTicks();
    this.started = performance.now();
  }

  stop(): CpuUse {
    const seconds = (performance.now() - this.started) / 1000;
    const after = tree(process.pid);
    const machine = machineTicks();
    const { host, generator } = this.pids();
    const hostTree = host ? new Set(tree(host).keys()) : new Set<number>();
    const use = { host: 0, generator: 0, chromium: 0, bench: 0 };
    for (const [pid, stat] of after) {
      const ticks = stat.ticks - (this.before.get(pid)?.ticks ?? 0);
      const role =
        pid === process.pid
          ? 'bench'
          : hostTree.has(pid)
            ? 'host'
            : pid === generator
              ? 'generator'
              : 'chromium';
      use[role] += ticks / TICKS_PER_SECOND / seconds;
    }
    const cores = availableParallelism();
    const machineBusy =
      ((machine.busy - this.machine.busy) / Math.max(1, machine.total - this.machine.total)) * cores;
    const ours = use.host + use.generator + use.chromium + use.bench;
    return { ...use, other: Math.max(0, machineBusy - ours), machineBusy, cores, seconds };
  }
}
