/**
 * How the benchmark starts the processes it measures: through `sh`, with the open-files soft limit
 * raised to the hard one (10,000 held connections need more descriptors than many shells allow by
 * default), and pinned to a core with `taskset` where there are two or more: servers on one core, the
 * load generator on another, so neither steals the other's CPU. `BENCH_PIN=0` turns pinning off.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const RAISE_OPEN_FILES =
  'h=$(ulimit -Hn); [ "$h" = unlimited ] && h=1048576; ulimit -n "$h" 2>/dev/null || ulimit -n 65536 2>/dev/null; exec "$@"';

export interface Launch {
  command: string;
  args: string[];
}

export type Role = 'server' | 'load';

export interface LaunchPlan {
  /** The open-files limit the started processes get. */
  openFiles: number;
  /** Cores the server and the load generator are pinned to, or null when not pinned. */
  cores: Record<Role, number> | null;
  /** Why the processes are not pinned, when they are not. */
  unpinnedReason: string | null;
  launch(role: Role, argv: string[]): Launch;
}

/** Runs `argv` through `sh` with the open-files soft limit raised to the hard one. */
export function withOpenFilesRaised(argv: string[]): Launch {
  return { command: 'sh', args: ['-c', RAISE_OPEN_FILES, 'sh', ...argv] };
}

function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function planLaunches(): LaunchPlan {
  let openFiles = 1024;
  try {
    const out = execFileSync('sh', ['-c', `${RAISE_OPEN_FILES.replace('exec "$@"', 'ulimit -n')}`]);
    openFiles = Number(out.toString().trim()) || openFiles;
  } catch {
    // No sh: the processes get this process's own limit, whatever it is.
  }
  let unpinnedReason: string | null = null;
  if (process.env.BENCH_PIN === '0') unpinnedReason = 'BENCH_PIN=0';
  else if (availableParallelism() < 2) unpinnedReason = 'one core';
  else if (!has('taskset', ['-c', '0', 'true'])) unpinnedReason = 'no taskset';
  const cores: Record<Role, number> | null = unpinnedReason ? null : { server: 0, load: 1 };
  return {
    openFiles,
    cores,
    unpinnedReason,
    launch(role, argv) {
      const pinned = cores ? ['taskset', '-c', String(cores[role]), ...argv] : argv;
      return withOpenFilesRaised(pinned);
    },
  };
}
