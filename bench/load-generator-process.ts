/** The load generator child (bench/ui-load-generator.ts) as the UI benchmark drives it over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { GeneratorReply, GeneratorRequest, LoadPlan } from './ui-bench-protocol';

export interface LoadGeneratorProcess {
  child: ChildProcess;
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
  const child = fork(resolve(__dirname, 'ui-load-generator.ts'), args.map(String), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: GeneratorReply[] = [];
  const waiters = new Set<() => void>();
  child.on('message', (reply: GeneratorReply) => {
    queue.push(reply);
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
    send: (request) => {
      if (child.connected) child.send(request);
    },
    next,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
