/**
 * The UI benchmark's load generator child as the benchmark drives it: bench/ui-load.c where it builds,
 * else its Node twin bench/ui-load-generator.ts. Both take requests as lines on stdin (its EOF ends
 * them) and answer with JSON lines on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadProgram } from './c-program';
import { withOpenFilesRaised } from './process-launch';
import type { GeneratorReply, GeneratorRequest, LoadPlan } from './ui-bench-protocol';

export interface LoadGeneratorProcess {
  child: ChildProcess;
  /** `C (bench/ui-load.c)`, or Node and why not C. */
  description: string;
  send(request: GeneratorRequest): void;
  /** The next reply of this type (replies are queued, so none is missed between calls). */
  next<T extends GeneratorReply['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<GeneratorReply, { type: T }>>;
  kill(): void;
}

export function startLoadGenerator(plan: LoadPlan): LoadGeneratorProcess {
  const args = [
    plan.port,
    plan.connections,
    plan.seconds,
    plan.linesPerSecond,
    plan.churnPerSecond,
    plan.maxInFlight,
  ];
  const { argv, description } = loadProgram('ui-load', 'ui-load-generator.ts');
  const { command, args: launchArgs } = withOpenFilesRaised([...argv, ...args.map(String)]);
  const child = spawn(command, launchArgs, {
    cwd: resolve(__dirname, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const queue: GeneratorReply[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    queue.push(JSON.parse(line) as GeneratorReply);
    for (const wake of waiters) wake();
  });
  child.on('exit', () => {
    for (const wake of waiters) wake();
  });
  const next = <T extends GeneratorReply['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<GeneratorReply, { type: T }>> =>
    new Promise((resolveReply, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = (): void => {
        const index = queue.findIndex((r) => r.type === type);
        if (index >= 0) {
          done();
          resolveReply(queue.splice(index, 1)[0] as Extract<GeneratorReply, { type: T }>);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`load generator exited before '${type}'`));
        } else if (Date.now() > deadline) {
          done();
          reject(new Error(`load generator: no '${type}' within ${timeoutMs} ms`));
        }
      };
      const timer = setInterval(check, 100);
      const done = (): void => {
        clearInterval(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    child,
    description,
    send: (request) => {
      if (child.stdin!.writable) child.stdin!.write(`${request.type}\n`);
    },
    next,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
