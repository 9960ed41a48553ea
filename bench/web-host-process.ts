/**
 * The browser host under test (`node out/main/cli.js web --port 0`) as a child process: started, its
 * URL parsed from stdout, its output drained (pipes to a child are synchronous on Linux: an unread
 * pipe would stall the server), and stopped with SIGINT, then SIGKILL if it lingers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CLI = resolve(ROOT, 'out/main/cli.js');
/** Output kept (the host prints a line or two per connection: a run is a few MB at most). */
const OUTPUT_KEPT = 16 * 1024 * 1024;

export interface WebHostProcess {
  child: ChildProcess;
  url: string;
  origin: string;
  token: string;
  /** Everything it printed (stdout and stderr, interleaved; bounded), for diagnosis. */
  output(): string;
  /** SIGINT (graceful), SIGKILL after `graceMs`. Resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export async function startWebHost(timeoutMs = 15_000): Promise<WebHostProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  // e.g. UI_BENCH_HOST_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/results" to profile the host.
  const nodeArgs = (process.env.UI_BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'web', '--port', '0', '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (graceMs = 3000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)?.[1];
    if (url) {
      const parsed = new URL(url);
      return {
        child,
        url,
        origin: parsed.origin,
        token: parsed.searchParams.get('token') ?? '',
        output: () => output,
        stop,
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop(500);
      throw new Error(`echoscope web did not print its URL:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
