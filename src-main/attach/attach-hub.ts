import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AttachListener, AttachState } from '../../src-shared/attached-process';
import { describeAttachedProcess, describeDetach } from '../../src-shared/attached-process';
import { isLoopbackHost } from '../../src-shared/bind-address';
import type { CommandResult, ServerStatus } from '../../src-shared/commands';
import type { UnstampedEvent } from '../../src-shared/events';
import {
  checkProbeEvents,
  DEFAULT_ATTACH_HOST,
  DEFAULT_ATTACH_PORT,
  PROBE_PROTOCOL,
  type ProbeCancelResult,
  type ProbeHello,
  type ProbeMessage,
} from '../../src-shared/probe-protocol';
import type { EventBus } from '../core/event-bus';
import { describeListenError } from '../core/listen-errors';
import { monotonicNow } from '../core/monotonic-clock';
import { probeCommandLine } from './probe-command';
import { ProbeConnection, type ProbeConnectionOwner } from './probe-connection';
import { TaskLedger } from './task-ledger';

/** How long Cancel task waits for the probe's cancel-result. */
export const CANCEL_TIMEOUT_MS = 5_000;
/** Connections that have not said hello yet, at most; more are refused at once. */
const MAX_WAITING = 8;

export interface AttachHubOptions {
  bus: EventBus;
  /** The built-in server's phase: a probe may attach only while it is idle. */
  serverPhase: () => ServerStatus['phase'];
  /** Where problems and attach/detach lines go (the host's stderr, the desktop app's log). */
  log: (line: string) => void;
  /** The token a probe must present; by default a fresh random one (the browser host passes its own). */
  token?: string;
  /** The probe package's parent directory, for the printed command (`PYTHONPATH=<probeDir>`). */
  probeDir: string;
}

function fail<T>(code: string, message: string): CommandResult<T> {
  return { ok: false, error: { code, message } };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A probe's free text as one short line (it is shown to users). */
function oneLine(text: string | undefined): string {
  const flat = (text ?? '').replace(/\p{Cc}+/gu, ' ').trim();
  return flat === '' ? 'no reason given' : flat.slice(0, 200);
}

interface PendingCancel {
  resolve: (result: CommandResult<{ cancelled: boolean }>) => void;
  timer: NodeJS.Timeout;
}

/**
 * Lets one external Python process running the probe drive the app's event stream: listens for probes
 * (loopback unless told otherwise), welcomes one at a time after its token, and re-stamps its checked
 * task events into the same bus the engine emits on, so every view, counter and recording follows it
 * with the same reducers. Cancel task is forwarded to the probe and answered with its cancel-result.
 */
export class AttachHub implements ProbeConnectionOwner {
  private server: Server | null = null;
  private listenerInfo: AttachListener | null = null;
  private token: string;
  private readonly waiting = new Set<ProbeConnection>();
  private active: ProbeConnection | null = null;
  private state: AttachState | undefined;
  private ledger = new TaskLedger();
  private byeSeen = false;
  private probeDropped = 0;
  private nextRequestId = 0;
  private readonly pendingCancels = new Map<number, PendingCancel>();

  constructor(private readonly options: AttachHubOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
  }

  /** The token probes must present (printed in the command line). */
  get probeToken(): string {
    return this.token;
  }

  /** Where probes attach, while listening. */
  get listener(): AttachListener | null {
    return this.listenerInfo;
  }

  /** The attached process (or the last one, exited), until the built-in server starts. */
  get attached(): AttachState | undefined {
    return this.state;
  }

  /** Whether a probe is connected now. */
  get isAttached(): boolean {
    return this.active !== null;
  }

  /** The browser host's token, so one secret serves the page and the probe. Before `listen`. */
  adoptToken(token: string): void {
    this.token = token;
  }

  /** The built-in server started: the exited process is no longer what the views show. */
  forgetExited(): void {
    if (!this.active) this.state = undefined;
  }

  /**
   * Starts listening for probes; a second call while listening returns the same listener. Anything but
   * loopback is refused unless `beyondLoopback` (the host's explicit --attach-host, as for --host).
   */
  async listen(
    host = DEFAULT_ATTACH_HOST,
    port = DEFAULT_ATTACH_PORT,
    beyondLoopback = false,
  ): Promise<CommandResult<AttachListener>> {
    if (this.listenerInfo) return { ok: true, value: this.listenerInfo };
    if (!isLoopbackHost(host) && !beyondLoopback) {
      return fail(
        'not-loopback',
        `Probes attach on loopback only unless the address is given explicitly (--attach-host ${host})`,
      );
    }
    const server = createServer({ noDelay: true }, (socket) => {
      if (this.waiting.size >= MAX_WAITING) {
        socket.end(
          `${JSON.stringify({ type: 'refused', message: 'too many probes are connecting at once' })}\n`,
        );
        socket.on('error', () => {});
        setTimeout(() => socket.destroy(), 1_000).unref();
        return;
      }
      this.waiting.add(new ProbeConnection(socket, this));
    });
    server.maxConnections = MAX_WAITING + 2;
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen({ host, port }, () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (error) {
      server.close();
      const described = describeListenError(error, host, port);
      return fail(described.code, `Cannot listen for probes: ${described.message}`);
    }
    server.on('error', (e) => this.options.log(`Attach listener: ${e.message}`));
    this.server = server;
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.listenerInfo = {
      host,
      port: bound,
      command: probeCommandLine(this.options.probeDir, host, bound, this.token),
    };
    return { ok: true, value: this.listenerInfo };
  }

  /** Stops listening and disconnects every probe (the attached one detaches). Idempotent. */
  async close(): Promise<void> {
    for (const c of this.waiting) c.destroy();
    this.active?.destroy();
    const server = this.server;
    this.server = null;
    this.listenerInfo = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Cancel task on the attached process: the probe cancels it on its loop and says whether it could. */
  cancelTask(taskId: number): Promise<CommandResult<{ cancelled: boolean }>> {
    const connection = this.active;
    if (!connection) {
      return Promise.resolve(
        fail('detached', 'The Python process has exited: its tasks can no longer be cancelled'),
      );
    }
    const requestId = ++this.nextRequestId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingCancels.delete(requestId);
        resolve(fail('timeout', `The probe did not answer the cancel of task ${taskId} within 5 s`));
      }, CANCEL_TIMEOUT_MS);
      this.pendingCancels.set(requestId, { resolve, timer });
      connection.send({ type: 'cancel', requestId, taskId });
    });
  }

  hello(connection: ProbeConnection, hello: ProbeHello): string | null {
    if (hello.protocol !== PROBE_PROTOCOL) {
      return `probe protocol ${hello.protocol} is not supported; this Echoscope speaks protocol ${PROBE_PROTOCOL}`;
    }
    if (hello.token === undefined)
      return 'no token: pass --token (or set ECHOSCOPE_TOKEN) as printed by Echoscope';
    if (!timingSafeEqual(digest(hello.token), digest(this.token))) {
      return 'wrong token: use the one Echoscope printed with the probe command';
    }
    if (this.active && this.state) {
      return `Echoscope is already attached to ${describeAttachedProcess(this.state.process)}; one process at a time`;
    }
    const phase = this.options.serverPhase();
    if (phase !== 'idle') {
      return `Echoscope's built-in echo server is ${phase}; stop it before attaching a Python process`;
    }
    this.waiting.delete(connection);
    this.active = connection;
    this.state = { process: hello.process, connected: true, exit: null };
    this.ledger = new TaskLedger();
    this.byeSeen = false;
    this.probeDropped = 0;
    const { bus } = this.options;
    bus.state.reset();
    bus.emit({ kind: 'attached', process: hello.process });
    return null;
  }

  message(connection: ProbeConnection, message: Exclude<ProbeMessage, ProbeHello>): void {
    if (connection !== this.active) return;
    switch (message.type) {
      case 'events':
        this.probeDropped = Math.max(this.probeDropped, message.dropped);
        this.applyEvents(connection, message.events);
        break;
      case 'bye':
        this.byeSeen = true;
        break;
      case 'cancel-result':
        this.settleCancel(connection, message);
        break;
    }
  }

  closed(connection: ProbeConnection): void {
    this.waiting.delete(connection);
    if (connection !== this.active || !this.state) return;
    this.active = null;
    for (const [id, pending] of this.pendingCancels) {
      clearTimeout(pending.timer);
      pending.resolve(fail('detached', 'The Python process exited before it answered the cancel'));
      this.pendingCancels.delete(id);
    }
    const reason = this.byeSeen ? 'exit' : 'lost';
    const detached = {
      kind: 'detached' as const,
      pid: this.state.process.pid,
      reason,
      unended: this.ledger.running,
      probeDropped: this.probeDropped,
    } satisfies UnstampedEvent;
    this.state = { ...this.state, connected: false, exit: reason };
    this.options.bus.emit(detached);
    this.options.bus.flush();
    const unlogged = connection.unloggedProblems;
    // The attach and detach themselves are events (the console printer and the views show them); the log
    // only adds what the events do not say.
    if (unlogged > 0) {
      this.options.log(
        `${describeDetach(detached)}; ${unlogged} more bad lines or events from its probe were left out`,
      );
    }
  }

  log(line: string): void {
    this.options.log(line);
  }

  private applyEvents(connection: ProbeConnection, values: unknown[]): void {
    const checked = checkProbeEvents(values);
    if (checked.firstProblem !== null) {
      connection.problem(
        `${checked.rejected} event${checked.rejected === 1 ? '' : 's'} left out; ${checked.firstProblem}`,
      );
    }
    const { bus } = this.options;
    const now = monotonicNow();
    for (const e of checked.events) {
      const problem = this.ledger.admit(e);
      if (problem !== null) {
        connection.problem(`${e.kind} event left out: ${problem}`);
        continue;
      }
      // The probe's clock is this machine's wall clock; an event is never placed ahead of now.
      bus.emitAt(e as unknown as UnstampedEvent, Math.min(e.at, now));
    }
  }

  private settleCancel(connection: ProbeConnection, result: ProbeCancelResult): void {
    const pending = this.pendingCancels.get(result.requestId);
    if (!pending) {
      connection.problem(`a cancel-result for request ${result.requestId}, which is not waiting; left out`);
      return;
    }
    clearTimeout(pending.timer);
    this.pendingCancels.delete(result.requestId);
    pending.resolve(
      result.cancelled
        ? { ok: true, value: { cancelled: true } }
        : fail('not-cancelled', `The probe could not cancel the task: ${oneLine(result.message)}`),
    );
  }
}
