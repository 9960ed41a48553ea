import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const MAIN = resolve(ROOT, 'src-main/cli/main.ts');

/** `echoscope` run from its sources in a child process, with its output, memory and descriptors in view. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Waits until `pattern` matches stdout + stderr. */
  waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resident memory now (Linux /proc). */
  rssBytes(): number;
  /** Resident memory after a garbage collection (SIGUSR2: `echoscope serve` collects garbage on it). */
  rssAfterGc(): Promise<number>;
  /** Open file descriptors now (Linux /proc). */
  openFds(): number;
  /** SIGINT (the graceful stop), SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `echoscope <args>`; with `readStdout: false` nobody reads its stdout (a stalled pipeline). */
export function startCli(args: string[], options: { readStdout?: boolean } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  if (options.readStdout === false) child.stdout!.pause();
  else {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
  }
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const pid = child.pid ?? 0;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    async waitFor(pattern, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(out + err);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`echoscope exited before ${what}: ${err.trim()}`);
        if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    rssBytes() {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return Number(kb) * 1024;
    },
    async rssAfterGc() {
      child.kill('SIGUSR2');
      // The collection runs, then its finalizers over a few turns of the loop.
      await new Promise((r) => setTimeout(r, 300));
      return this.rssBytes();
    },
    openFds() {
      return readdirSync(`/proc/${pid}/fd`).length;
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A stand-in renderer (the soak tests the host, not the page), removed by the returned function. */
export async function stubRenderer(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'echoscope-soak-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Echoscope</title>');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
