import type { Socket } from 'node:net';
import {
  encodeHostMessage,
  type HostMessage,
  MAX_PROBE_LINE_BYTES,
  PROBE_PROTOCOL,
  type ProbeHello,
  type ProbeLine,
  type ProbeMessage,
  parseProbeLine,
} from '../../src-shared/probe-protocol';
import { NdjsonLines } from './ndjson-lines';

/** A connection that has not said hello within this long is refused. */
export const HELLO_TIMEOUT_MS = 5_000;
/** Problem lines logged per connection; past this they are only counted (a flood must not flood the log). */
export const LOGGED_PROBLEMS = 20;

/** What a connection asks of the hub it belongs to. */
export interface ProbeConnectionOwner {
  /** A valid hello arrived: null to welcome the probe, or why it is refused (one line). */
  hello(connection: ProbeConnection, hello: ProbeHello): string | null;
  /** Any later valid line (events, bye, cancel-result); never a second hello. */
  message(connection: ProbeConnection, message: Exclude<ProbeMessage, ProbeHello>): void;
  /** The socket closed (after a welcome or not). Called once. */
  closed(connection: ProbeConnection): void;
  log(line: string): void;
}

/**
 * One TCP connection from a probe: NDJSON lines of at most 1 MiB, the hello first (answered with
 * `welcome` or `refused` then closed), then checked messages handed to the owner. A bad line is logged
 * in one line naming it and left out; an oversized line ends the connection with `refused`.
 */
export class ProbeConnection {
  private readonly lines = new NdjsonLines(MAX_PROBE_LINE_BYTES);
  private welcomed = false;
  private ended = false;
  private lineNumber = 0;
  private problems = 0;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly owner: ProbeConnectionOwner,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
    this.helloTimer = setTimeout(() => {
      if (!this.welcomed) this.refuse(`no hello within ${HELLO_TIMEOUT_MS / 1000} s`);
    }, HELLO_TIMEOUT_MS);
  }

  /** The probe's address, for log lines. */
  get peer(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? 0}`;
  }

  /** Problems seen beyond the logged ones. */
  get unloggedProblems(): number {
    return Math.max(0, this.problems - LOGGED_PROBLEMS);
  }

  send(message: HostMessage): void {
    if (!this.ended && this.socket.writable) this.socket.write(encodeHostMessage(message));
  }

  /** Says why in a `refused` line, then closes. */
  refuse(message: string): void {
    if (this.ended) return;
    this.owner.log(`Probe ${this.peer} refused: ${message}`);
    this.send({ type: 'refused', message });
    this.ended = true;
    this.socket.end();
    // A probe that never reads must not keep the socket open.
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  /** Closes at once (the hub shuts down). */
  destroy(): void {
    this.ended = true;
    this.socket.destroy();
  }

  /** Logs one problem with the probe's input, at most LOGGED_PROBLEMS times per connection. */
  problem(text: string): void {
    this.problems++;
    if (this.problems < LOGGED_PROBLEMS) this.owner.log(`Probe ${this.peer}: ${text}`);
    else if (this.problems === LOGGED_PROBLEMS)
      this.owner.log(`Probe ${this.peer}: ${text} (further problems are counted, not shown)`);
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    const { lines, oversized } = this.lines.push(chunk);
    for (const line of lines) {
      if (this.ended) return;
      this.onLine(line);
    }
    if (oversized) this.refuse(`line ${this.lineNumber + 1} is longer than ${MAX_PROBE_LINE_BYTES} bytes`);
  }

  private onLine(text: string): void {
    this.lineNumber++;
    if (text.trim() === '') return;
    const parsed = parseProbeLine(text);
    if (!this.welcomed) {
      this.onFirstLine(parsed);
      return;
    }
    if (!parsed.ok) this.problem(`line ${this.lineNumber} ${parsed.problem}; left out`);
    else if (parsed.message.type === 'hello')
      this.problem(`line ${this.lineNumber} is a second hello; left out`);
    else this.owner.message(this, parsed.message);
  }

  private onFirstLine(parsed: ProbeLine): void {
    if (!parsed.ok) {
      this.refuse(`its first line ${parsed.problem}`);
      return;
    }
    if (parsed.message.type !== 'hello') {
      this.refuse(`its first line is "${parsed.message.type}"; a probe must say hello first`);
      return;
    }
    const refusal = this.owner.hello(this, parsed.message);
    if (refusal !== null) {
      this.refuse(refusal);
      return;
    }
    clearTimeout(this.helloTimer);
    this.welcomed = true;
    this.send({ type: 'welcome', protocol: PROBE_PROTOCOL });
  }

  private onClose(): void {
    clearTimeout(this.helloTimer);
    this.ended = true;
    this.owner.closed(this);
  }
}
