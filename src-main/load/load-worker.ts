/**
 * The load generator's worker thread: runs one LoadGenerator on its own event loop, so the figures it
 * measures are not distorted by (and do not distort) the process that started it. Takes the checked
 * options in `workerData`, posts progress and then the summary, stops on a `stop` message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkLoadOptions, type LoadWorkerMessage } from '../../src-shared/load/load-contract';
import { LoadGenerator } from './load-generator';

/** What the runner hands the worker. */
export interface LoadWorkerData {
  options: unknown;
  progressIntervalMs: number;
}

function post(message: LoadWorkerMessage): void {
  parentPort?.postMessage(message);
}

const data = workerData as LoadWorkerData;
const checked = checkLoadOptions((data.options ?? {}) as Record<string, unknown>);
if (!checked.ok) {
  post({ type: 'error', message: checked.error.message });
} else {
  const generator = new LoadGenerator(checked.value, {
    progressIntervalMs: data.progressIntervalMs,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  parentPort?.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'stop')
      generator.stop();
  });
  generator.run().then(
    (summary) => {
      post({ type: 'summary', summary });
      parentPort?.close();
    },
    (error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? error.message : 'load run failed' }),
  );
}
