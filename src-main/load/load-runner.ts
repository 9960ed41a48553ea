import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  LoadOptions,
  LoadProgress,
  LoadSummary,
  LoadWorkerMessage,
} from '../../src-shared/load/load-contract';
import type { LoadWorkerData } from './load-worker';

/** Time beyond the duration a run may take to drain and close before its worker is terminated. */
const END_GRACE_MS = 10_000;

/** A load run in a worker thread. */
export interface LoadRun {
  /** Calls `listener` with each progress report; returns the unsubscribe function. */
  onProgress(listener: (progress: LoadProgress) => void): () => void;
  /** Ends the run early: sending stops, a short drain, then `done` resolves with the summary. */
  stop(): void;
  /** Terminates the worker at once (a second Ctrl-C); `done` then rejects. */
  terminate(): Promise<void>;
  /** The summary, or an error when the worker failed, was terminated or overran its deadline. */
  done: Promise<LoadSummary>;
}

export interface LoadRunnerOptions {
  progressIntervalMs?: number;
}

/**
 * The worker's entry: the built `load-worker.js` beside the built CLI, else the TypeScript source run
 * through tsx (development and tests), registered inside the worker because a worker does not inherit
 * the parent's loader.
 */
function workerEntry(): { file: string; eval: boolean } {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const built of [join(here, 'load-worker.js'), join(here, '..', 'load-worker.js')]) {
    if (existsSync(built)) return { file: built, eval: false };
  }
  const source = join(here, 'load-worker.ts');
  const bootstrap = `
    const { createRequire } = require('node:module');
    const source = ${JSON.stringify(source)};
    createRequire(source)('tsx/cjs/api').register();
    require(source);`;
  return { file: bootstrap, eval: true };
}

/**
 * Starts a load run in a worker thread, outside the caller's event loop. Bounded in time: a run that
 * has not ended `END_GRACE_MS` after its duration is terminated.
 */
export function startLoad(options: LoadOptions, runner: LoadRunnerOptions = {}): LoadRun {
  const entry = workerEntry();
  const data: LoadWorkerData = { options, progressIntervalMs: runner.progressIntervalMs ?? 1000 };
  const worker = new Worker(entry.file, { eval: entry.eval, workerData: data });
  const listeners = new Set<(progress: LoadProgress) => void>();
  let settled = false;
  const done = new Promise<LoadSummary>((resolve, reject) => {
    const deadline = setTimeout(
      () => {
        void worker.terminate();
        finish(() =>
          reject(
            new Error(
              `the load run did not end within ${END_GRACE_MS / 1000} s of its duration and was terminated`,
            ),
          ),
        );
      },
      options.durationS * 1000 + END_GRACE_MS,
    );
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      settle();
    };
    worker.on('message', (message: LoadWorkerMessage) => {
      if (message.type === 'progress') for (const listener of listeners) listener(message.progress);
      else if (message.type === 'summary') finish(() => resolve(message.summary));
      else if (message.type === 'error') finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`the load worker exited (code ${code}) without a summary`))),
    );
  });
  return {
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      if (!settled) worker.postMessage({ type: 'stop' });
    },
    async terminate() {
      await worker.terminate();
    },
    done,
  };
}
