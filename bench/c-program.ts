/**
 * The benchmarks' C load generators (bench/<name>.c): compiled with the system's C compiler at bench
 * time into bench/results/.bin, and rebuilt only when the source is newer than the binary. Linux only
 * (epoll); elsewhere, or with no compiler, the caller falls back to its Node twin and prints the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export type CProgram = { ok: true; binary: string; description: string } | { ok: false; reason: string };

export function buildCProgram(name: string): CProgram {
  const source = resolve(__dirname, `${name}.c`);
  const binary = resolve(__dirname, `results/.bin/${name}`);
  const description = `C (bench/${name}.c)`;
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux (epoll)' };
  try {
    if (statSync(binary).mtimeMs >= statSync(source).mtimeMs) return { ok: true, binary, description };
  } catch {
    // Not built yet.
  }
  mkdirSync(resolve(binary, '..'), { recursive: true });
  const errors: string[] = [];
  for (const compiler of [process.env.CC ?? 'cc', 'gcc', 'clang']) {
    try {
      execFileSync(compiler, ['-O2', '-o', binary, source], { stdio: ['ignore', 'ignore', 'pipe'] });
      return { ok: true, binary, description };
    } catch (err) {
      errors.push(`${compiler}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { ok: false, reason: `no C compiler could build bench/${name}.c (${errors.join('; ')})` };
}
