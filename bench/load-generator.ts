/**
 * The load generator of `npm run bench`: bench/echo-load.c compiled with the system's C compiler at
 * bench time (one thread, epoll: never the bottleneck), or, where there is no compiler, the same
 * scenarios in Node (bench/load-driver.ts), said so in one line. Both print one DriverResult line.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { DriverResult } from './bench-protocol';
import { loadProgram } from './c-program';
import type { LaunchPlan } from './process-launch';

export interface LoadGenerator {
  /** `C (bench/echo-load.c)`, or Node and why not C. */
  description: string;
  run(args: Array<string | number>, timeoutMs?: number): Promise<DriverResult>;
  /** Opens `conns` idle connections; they stay open until `release()`. */
  hold(port: number, conns: number): Promise<{ result: DriverResult; release(): void }>;
}

export function prepareLoadGenerator(plan: LaunchPlan): LoadGenerator {
  const { argv, description } = loadProgram('echo-load', 'load-driver.ts');
  const start = (args: Array<string | number>) => {
    const { command, args: launchArgs } = plan.launch('load', [...argv, ...args.map(String)]);
    return spawn(command, launchArgs, { cwd: resolve(__dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
  };
  const firstLine = (
    child: ReturnType<typeof start>,
    what: string,
    timeoutMs: number,
  ): Promise<DriverResult> =>
    new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`load generator ${what} timed out`));
      }, timeoutMs);
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolveLine(JSON.parse(line) as DriverResult);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`load generator ${what} exited (${code}) without a result`));
      });
    });
  return {
    description,
    run(args, timeoutMs = 120_000) {
      const child = start(args);
      child.stdin!.end();
      return firstLine(child, args.join(' '), timeoutMs);
    },
    async hold(port, conns) {
      const child = start(['hold', port, conns]);
      const result = await firstLine(child, `hold ${conns}`, 120_000);
      return { result, release: () => child.stdin!.end() };
    },
  };
}
