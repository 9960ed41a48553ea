import { createServer, type Server, type Socket } from 'node:net';
import { checkSettings } from '../../src-shared/command-validation';
import type { CommandResult, ServerStatus, Snapshot, StopReport } from '../../src-shared/commands';
import { type CloseReason, EVENT_SCHEMA_VERSION, type ServerSettings } from '../../src-shared/events';
import { AwaitableSocket } from './awaitable-socket';
import { ConnectionTask, type TaskEnded, type TaskOutcome } from './connection-task';
import { type CrashDetector, crashDetectorFactory } from './crash-detector';
import { serializeError } from './error-serialization';
import { EventBus } from './event-bus';
import { FailedTasks } from './failure-policy';
import { obtainGc } from './gc-access';
import { describeListenError } from './listen-errors';
import { PromptCollector } from './prompt-collector';
import { ActivityFlusher, TaskActivity } from './task-activity';

/** Tasks a Stop cancels before it lets the event loop run (see stop()). */
const STOP_SLICE = 500;

export interface EngineOptions {
  /** How long stop waits for cancelled tasks to settle before destroying their sockets. */
  gracePeriodMs?: number;
  /** Ended tasks kept for snapshots. */
  endedTaskLimit?: number;
  /** The runtime's gc() (tests wrap it to count collections); by default `obtainGc()`. */
  gc?: (() => void) | null;
}

/** What every connection of one run of the server shares. */
interface Run {
  settings: ServerSettings;
  crashDetector: () => CrashDetector;
  ended: TaskEnded;
}

function fail<T>(code: string, message: string): CommandResult<T> {
  return { ok: false, error: { code, message } };
}

/**
 * The echo server of the article, with every connection task observable: accepts connections, runs
 * one ConnectionTask each, applies the failure policy, cancels at await points on stop, and reports
 * everything as events on `bus`. No Electron here: the CLI, the web host and Electron all host this.
 */
export class EchoEngine {
  readonly bus: EventBus;
  private readonly gracePeriodMs: number;
  private readonly gc: (() => void) | null;
  /** The collections the `cpython` collection mode asks for. */
  private readonly collector: PromptCollector | null;
  private server: Server | null = null;
  private settings: ServerSettings | null = null;
  private boundPort: number | null = null;
  private phase: ServerStatus['phase'] = 'idle';
  private nextTaskId = 0;
  private readonly live = new Map<number, ConnectionTask>();
  /** Live tasks whose connection a user closed: their EOF is reported as a user close. */
  private readonly closedByUser = new Set<number>();
  private readonly activity: ActivityFlusher;
  /** What the failure policy left behind: retained tasks, dangling connections, owed warnings. */
  private readonly failed: FailedTasks;

  constructor(options: EngineOptions = {}) {
    this.gracePeriodMs = options.gracePeriodMs ?? 2000;
    this.gc = options.gc === undefined ? obtainGc() : options.gc;
    this.collector = this.gc ? new PromptCollector(this.gc) : null;
    this.bus = new EventBus(options.endedTaskLimit);
    this.activity = new ActivityFlusher(this.bus);
    this.failed = new FailedTasks(
      this.bus,
      (taskId, conn, reason, graceful) => this.closeConn(taskId, conn, reason, graceful),
      this.collector,
    );
  }

  status(): ServerStatus {
    return {
      phase: this.phase,
      settings: this.settings,
      boundPort: this.boundPort,
      gcAvailable: this.gc !== null,
    };
  }

  /** Host and port clients should connect to while listening. */
  target(): { host: string; port: number } | null {
    if (this.phase !== 'listening' || !this.settings || this.boundPort === null) return null;
    return { host: this.settings.host, port: this.boundPort };
  }

  snapshot(): Snapshot {
    const state = this.bus.state;
    return {
      v: EVENT_SCHEMA_VERSION,
      lastSeq: this.bus.lastSeq,
      status: this.status(),
      counters: { ...state.counters },
      // Views built now, from what the engine keeps: fresh objects that share nothing with it.
      tasks: Array.from(state.tasks.values()),
      warnings: state.warnings.slice(),
      clients: [...state.clients.values()],
    };
  }

  async start(input: unknown): Promise<CommandResult<ServerStatus>> {
    if (this.phase !== 'idle') return fail('already-running', `The server is already ${this.phase}`);
    const checked = checkSettings(input);
    if (!checked.ok) return checked;
    const settings = checked.value;
    this.phase = 'starting';
    const run: Run = {
      settings,
      crashDetector: crashDetectorFactory(settings.crashWord, settings.match),
      ended: (task, outcome) => this.onSettled(task, outcome, settings),
    };
    const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket, run));
    // Accept-time errors (e.g. out of file descriptors) must not take the process down.
    const listenError = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen({ host: settings.host, port: settings.port, backlog: 4096 }, () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (listenError) {
      this.phase = 'idle';
      server.close();
      return { ok: false, error: describeListenError(listenError, settings.host, settings.port) };
    }
    server.on('error', () => {});
    const address = server.address();
    this.server = server;
    this.settings = settings;
    this.boundPort = typeof address === 'object' && address ? address.port : settings.port;
    this.failed.beginRun();
    this.bus.state.reset();
    this.phase = 'listening';
    this.bus.emit({ kind: 'listening', settings, port: this.boundPort });
    return { ok: true, value: this.status() };
  }

  async stop(): Promise<CommandResult<StopReport>> {
    if (this.phase !== 'listening') return fail('not-running', 'The server is not running');
    const started = performance.now();
    this.phase = 'stopping';
    this.bus.emit({ kind: 'stopping', live: this.live.size });
    this.server?.close();
    this.server = null;
    const cancelledBefore = this.bus.state.counters.cancelled;
    const pending: Promise<TaskOutcome>[] = [];
    // A task parked at an await ends at once when cancelled (and leaves `live`): iterate over a copy.
    const tasks = [...this.live.values()];
    for (let i = 0; i < tasks.length; i++) {
      // Most of a Stop is the kernel closing sockets (10,000 take about half a second): between slices
      // the loop reads the page's acks, so it is sent the first cancellations while the rest are made.
      if (i > 0 && i % STOP_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const task = tasks[i]!;
      // It may have ended on its own (EOF, a user's cancel) while the loop ran.
      if (!this.live.has(task.id)) continue;
      task.cancel('stop');
      pending.push(task.settled);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending),
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.gracePeriodMs);
      }),
    ]);
    clearTimeout(timer);
    let forced = 0;
    for (const task of this.live.values()) {
      forced++;
      this.closeConn(task.id, task.conn, 'forced');
    }
    this.live.clear();
    this.failed.settleAtStop();
    this.activity.flush();
    const report: StopReport = {
      cancelled: this.bus.state.counters.cancelled - cancelledBefore,
      forced,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    this.bus.emit({ kind: 'stopped', ...report });
    this.phase = 'idle';
    this.boundPort = null;
    this.bus.flush();
    return { ok: true, value: report };
  }

  cancelTask(taskId: number): CommandResult<{ cancelled: boolean }> {
    const task = this.live.get(taskId);
    if (!task) return fail('not-live', `Task ${taskId} is not running`);
    task.cancel('user');
    return { ok: true, value: { cancelled: true } };
  }

  /** Closes a connection from the server side: a running task then reads EOF and completes. */
  closeConnection(taskId: number): CommandResult<{ closed: boolean }> {
    const task = this.live.get(taskId);
    if (task) {
      this.closedByUser.add(taskId);
      task.conn.close(false);
      return { ok: true, value: { closed: true } };
    }
    if (this.failed.closeDangler(taskId)) return { ok: true, value: { closed: true } };
    return fail('not-open', `Task ${taskId} has no open connection`);
  }

  /** Runs a full garbage collection and reports how many failed tasks were finalized by it. */
  async collectGarbage(): Promise<CommandResult<{ available: boolean; finalized: number }>> {
    if (!this.gc) {
      this.bus.emit({ kind: 'gc-run', available: false, finalized: 0 });
      return { ok: true, value: { available: false, finalized: 0 } };
    }
    const before = this.failed.finalized;
    this.gc();
    // Finalizers run as separate tasks after the collection; give them a few turns of the loop.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const finalized = this.failed.finalized - before;
    this.bus.emit({ kind: 'gc-run', available: true, finalized });
    return { ok: true, value: { available: true, finalized } };
  }

  private accept(socket: Socket, run: Run): void {
    if (this.phase !== 'listening') {
      socket.destroy();
      return;
    }
    const taskId = ++this.nextTaskId;
    const conn = new AwaitableSocket(socket);
    this.bus.emit({
      kind: 'accepted',
      taskId,
      peerAddress: socket.remoteAddress ?? '?',
      peerPort: socket.remotePort ?? 0,
      // An accepted socket's local port is the listening one (asking the kernel costs a syscall).
      localPort: this.boundPort ?? 0,
      seq: 0,
      at: 0,
    });
    const task = new ConnectionTask(
      taskId,
      conn,
      run.crashDetector(),
      run.settings.recvSize,
      new TaskActivity(taskId, this.activity),
      run.ended,
    );
    this.live.set(taskId, task);
  }

  private onSettled(task: ConnectionTask, outcome: TaskOutcome, settings: ServerSettings): void {
    const { id, conn } = task;
    this.live.delete(id);
    this.activity.settle(task.activity);
    if (outcome.kind === 'completed') {
      this.bus.emit({ kind: 'completed', taskId: id, seq: 0, at: 0 });
      this.closeConn(id, conn, 'task-ended', true);
      return;
    }
    if (outcome.kind === 'cancelled') {
      this.bus.emit({
        kind: 'cancelled',
        taskId: id,
        awaitPoint: outcome.awaitPoint,
        reason: outcome.reason,
        seq: 0,
        at: 0,
      });
      this.closeConn(id, conn, 'task-ended');
      return;
    }
    this.failed.apply(
      task,
      serializeError(outcome.error),
      outcome.awaitPoint,
      settings.policy,
      settings.collection,
    );
  }

  /**
   * Closes the socket once and reports it. `graceful` flushes the last echo first (a task's own end);
   * otherwise the connection is aborted (cancellation, stop, finalizer, user).
   */
  private closeConn(taskId: number, conn: AwaitableSocket, reason: CloseReason, graceful = false): void {
    if (this.closedByUser.delete(taskId)) {
      this.bus.emit({ kind: 'closed', taskId, reason: 'user', reset: false, seq: 0, at: 0 });
      return;
    }
    if (conn.isClosed) {
      this.bus.emit({
        kind: 'closed',
        taskId,
        reason: reason === 'task-ended' ? reason : 'peer',
        reset: false,
        seq: 0,
        at: 0,
      });
      return;
    }
    const { reset } = conn.close(graceful);
    this.bus.emit({ kind: 'closed', taskId, reason, reset, seq: 0, at: 0 });
  }
}
