import { COLLECTION_MODES } from '../../src-shared/collection-modes';
import type { AwaitPoint, CloseReason, CollectionMode, SerializedError } from '../../src-shared/events';
import { collectionMatters, type FailurePolicy, POLICIES } from '../../src-shared/failure-policies';
import type { AwaitableSocket } from './awaitable-socket';
import type { ConnectionTask } from './connection-task';
import type { EventBus } from './event-bus';
import type { PromptCollector } from './prompt-collector';

/** How the engine closes a connection and reports it (it alone knows which closes a user asked for). */
export type CloseConnection = (
  taskId: number,
  conn: AwaitableSocket,
  reason: CloseReason,
  graceful?: boolean,
) => void;

/** Held by the FinalizationRegistry: never the task itself, or it could not be collected. */
interface FinalizerToken {
  run: number;
  taskId: number;
}

/**
 * Applies the failure policy to each failed task, dispatching on the properties of its row in `POLICIES`
 * (what becomes of the exception, the socket, the task), and keeps what a policy leaves behind until a
 * collection or stop settles it: retained tasks, dangling connections, warnings still owed.
 */
export class FailedTasks {
  /** The article's `tasks` list: keeps every retained task (and so its exception) alive. */
  private retained: ConnectionTask[] = [];
  /** Connections a failed task left open, by task id. */
  private readonly danglers = new Map<number, AwaitableSocket>();
  /** Failed tasks whose never-retrieved warning is still owed. */
  private readonly owedWarnings = new Map<number, SerializedError>();
  private readonly registry = new FinalizationRegistry<FinalizerToken>((token) => this.onCollected(token));
  /** Tokens of an earlier run are ignored: their warnings were reported at that run's stop. */
  private run = 0;
  /** Failed tasks finalized so far (a collection reports how many it added). */
  finalized = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly closeConn: CloseConnection,
    /** Requests real collections for the `cpython` mode; null where the runtime offers no gc(). */
    private readonly collector: PromptCollector | null,
  ) {}

  /** A new run of the server begins. */
  beginRun(): void {
    this.run++;
    this.retained = [];
  }

  /**
   * The task's body threw: reports it, then does with its exception, socket and task what `policy` says;
   * a task let go is collected at once (a collection is requested) when `collection` says so.
   */
  apply(
    task: ConnectionTask,
    error: SerializedError,
    awaitPoint: AwaitPoint,
    policy: FailurePolicy,
    collection: CollectionMode,
  ): void {
    const { id, conn } = task;
    const row = POLICIES[policy];
    // A reset or a failed write destroys the socket at once, but 'close' comes a loop turn later: a task
    // that failed that way is not leaving an open connection behind, whatever its policy.
    const dangling = row.socket !== 'closed-at-once' && !conn.isClosed && !conn.socket.destroyed;
    this.bus.emit({ kind: 'failed', taskId: id, error, policy, awaitPoint, dangling });
    if (row.exception === 'never-retrieved') this.owedWarnings.set(id, error);
    if (row.socket === 'closed-at-once') {
      this.closeConn(id, conn, 'task-ended', true);
    } else if (dangling) {
      this.danglers.set(id, conn);
      conn.onClosed(() => this.onDanglerClosedByPeer(id, conn));
    } else {
      conn.onClosed(() => this.bus.emit({ kind: 'closed', taskId: id, reason: 'peer', reset: false }));
    }
    if (row.retainsTasks) this.retained.push(task);
    else if (collectionMatters(row)) {
      this.registry.register(task, { run: this.run, taskId: id });
      // The collection runs from a timer, once the caller's frames holding `task` are gone.
      if (COLLECTION_MODES[collection].collectsAtOnce) this.collector?.request();
    }
  }

  /** Closes a connection a failed task left open, at a user's request; false when there is none. */
  closeDangler(taskId: number): boolean {
    const dangler = this.danglers.get(taskId);
    if (!dangler) return false;
    this.closeConn(taskId, dangler, 'user');
    this.danglers.delete(taskId);
    return true;
  }

  /** At stop, as asyncio does at exit: one warning per exception nobody retrieved, then every dangler closed. */
  settleAtStop(): void {
    this.collector?.cancel();
    for (const [taskId, error] of this.owedWarnings)
      this.bus.emit({ kind: 'unretrieved', taskId, error, via: 'shutdown' });
    this.owedWarnings.clear();
    for (const [taskId, conn] of this.danglers) this.closeConn(taskId, conn, 'stop');
    this.danglers.clear();
    this.retained = [];
  }

  /** The task object is gone: the warning CPython prints from Task.__del__, then the socket finalizer. */
  private onCollected(token: FinalizerToken): void {
    if (token.run !== this.run) return;
    const error = this.owedWarnings.get(token.taskId);
    const dangler = this.danglers.get(token.taskId);
    if (!error && !dangler) return;
    this.finalized++;
    if (error) {
      this.owedWarnings.delete(token.taskId);
      this.bus.emit({ kind: 'unretrieved', taskId: token.taskId, error, via: 'gc' });
    }
    if (dangler) {
      this.danglers.delete(token.taskId);
      this.closeConn(token.taskId, dangler, 'finalized');
    }
  }

  private onDanglerClosedByPeer(taskId: number, conn: AwaitableSocket): void {
    if (this.danglers.get(taskId) !== conn) return;
    this.danglers.delete(taskId);
    this.bus.emit({ kind: 'closed', taskId, reason: 'peer', reset: false });
  }
}
