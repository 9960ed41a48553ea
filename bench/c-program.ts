/**
 * The benchmarks' C load generators (bench/<name>.c): compiled with the system's C compiler at bench
 * time into bench/results/.bin, and rebuilt only when the source is newer than the binary. Linux only
 * (epoll); elsewhere, or with no compiler, each runs as its Node twin, and the description says why.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

type Built = { ok: true; binary: string } | { ok: false; reason: string };

/** A load generator to start: its command line (arguments follow), and what it is, for the report. */
export interface LoadProgram {
  argv: string[];
  /** `C (bench/<name>.c)`, or `Node (bench/<twin>)` and why not C. */
  description: string;
}

/** bench/<name>.c built, or where it cannot be, `nodeTwin` (a file in bench/) run by Node through tsx. */
export function loadProgram(name: string, nodeTwin: string): LoadProgram {
  const built = buildCProgram(name);
  return built.ok
    ? { argv: [built.binary], description: `C (bench/${name}.c)` }
    : {
        argv: [process.execPath, '--import', 'tsx', resolve(__dirname, nodeTwin)],
        description: `Node (bench/${nodeTwin}): ${built.reason}`,
      };
}

function buildCProgram(name: string): Built {
  const source = resolve(__dirname, `${name}.c`);
  const binary = resolve(__dirname, `results/.bin/${name}`);
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux (epoll)' };
  try {
    if (statSync(binary).mtimeMs >= statSync(source).mtimeMs) return { ok: true, binary };
  } catch {
    // Not built yet.
  }
  mkdirSync(resolve(binary, '..'), { recursive: true });
  const errors: string[] = [];
  for (const compiler of [process.env.CC ?? 'cc', 'gcc', 'clang']) {
    try {
      execFileSync(compiler, ['-O2', '-o', binary, source], { stdio: ['ignore', 'ignore', 'pipe'] });
      return { ok: true, binary };
    } catch (err) {
      errors.push(`${compiler}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { ok: false, reason: `no C compiler could build bench/${name}.c (${errors.join('; ')})` };
}
