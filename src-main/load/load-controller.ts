import type { CommandResult } from '../../src-shared/commands';
import { checkLoadOptions, type LoadProgress, type LoadStatus } from '../../src-shared/load/load-contract';
import type { LoadRequest } from '../../src-shared/load/load-request';
import type { EchoEngine } from '../core/echo-engine';
import { type LoadRun, startLoad } from './load-runner';

/** How often a run started from the app reports its figures (the page asks about as often). */
export const APP_PROGRESS_INTERVAL_MS = 500;
/** How long ending a run (engine stop, app quit) waits for its drain and close before terminating it. */
const END_WAIT_MS = 5_000;

function refusal(code: string, message: string): CommandResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * The app's load generator: one run at a time, in a worker thread (never on the server's event loop),
 * aimed at the engine's own listening server with its crash word. Keeps the status the page shows: the
 * newest progress while a run lasts, then its summary (or why it has none), until the next run.
 */
export class LoadController {
  private status: LoadStatus = { state: 'idle' };
  private run: LoadRun | null = null;
  private runs = 0;

  constructor(
    private readonly engine: Pick<EchoEngine, 'target' | 'status'>,
    private readonly progressIntervalMs = APP_PROGRESS_INTERVAL_MS,
  ) {}

  current(): LoadStatus {
    return this.status;
  }

  /** Starts a run against the running server; refused while another runs or when nothing listens. */
  start(request: LoadRequest): CommandResult<LoadStatus> {
    if (this.run && this.status.state === 'running')
      return refusal('load-running', `Load run ${this.status.run} is still running: stop it first`);
    const target = this.engine.target();
    const crashWord = this.engine.status().settings?.crashWord;
    if (!target || crashWord === undefined)
      return refusal('not-running', 'Start the server first: the load generator connects to it');
    const checked = checkLoadOptions({ ...request, host: target.host, port: target.port, crashWord });
    if (!checked.ok) return checked;
    const options = checked.value;
    let run: LoadRun;
    try {
      run = startLoad(options, { progressIntervalMs: this.progressIntervalMs });
    } catch (e) {
      return refusal('internal', `The load generator could not start: ${(e as Error).message}`);
    }
    const id = ++this.runs;
    this.run = run;
    this.status = { state: 'running', run: id, options, progress: null, stopping: false };
    run.onProgress((progress) => {
      if (this.status.state === 'running' && this.status.run === id)
        this.status = { ...this.status, progress };
    });
    run.done.then(
      (summary) => this.settle(id, (progress) => ({ state: 'ended', run: id, options, progress, summary })),
      (error: unknown) =>
        this.settle(id, (progress) => ({
          state: 'failed',
          run: id,
          options,
          progress,
          message: error instanceof Error ? error.message : 'the load run failed',
        })),
    );
    return { ok: true, value: this.status };
  }

  /** Asks the run to stop (sending stops, echoes in flight drain); its summary follows. Idempotent. */
  stop(): LoadStatus {
    if (this.run && this.status.state === 'running' && !this.status.stopping) {
      this.run.stop();
      this.status = { ...this.status, stopping: true };
    }
    return this.status;
  }

  /** Stops the run and waits for its end, at most END_WAIT_MS before its worker is terminated (engine stop, quit). */
  async end(): Promise<void> {
    const run = this.run;
    if (!run) return;
    this.stop();
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), END_WAIT_MS);
    });
    const ended = await Promise.race([
      run.done.then(
        () => 'ended' as const,
        () => 'ended' as const,
      ),
      overdue,
    ]);
    clearTimeout(timer);
    if (ended === 'overdue') await run.terminate();
    await run.done.catch(() => undefined);
  }

  private settle(id: number, ending: (progress: LoadProgress | null) => LoadStatus): void {
    if (this.status.state !== 'running' || this.status.run !== id) return;
    this.status = ending(this.status.progress);
    this.run = null;
  }
}
