import { connect, type Socket } from 'node:net';

/** Most messages one connection leaves unanswered before it skips sends (so memory stays bounded). */
export const MAX_IN_FLIGHT_MESSAGES = 256;
/** Most unanswered bytes one connection holds. */
export const MAX_IN_FLIGHT_BYTES = 1024 * 1024;

/** What a connection reports to its run; the run keeps the tallies. */
export interface ConnectionSink {
  opened(): void;
  /** A message came back whole; `bytes` is its last part (earlier parts came through echoedBytes). */
  echoed(latencyMs: number, bytes: number): void;
  /** Part of a message came back. */
  echoedBytes(bytes: number): void;
  mismatch(example: string): void;
  error(kind: string, example: string): void;
  crashClosed(): void;
  crashEchoed(): void;
  /** The socket closed; `wasOpen` when it had connected (the open count goes down). */
  closed(wasOpen: boolean): void;
}

/**
 * `crashing`: waiting for its echoes before the crash word; `crashed`: the word is sent, the server's
 * answer awaited; `survived`: the server echoed the word back (it did not crash on it).
 */
type State = 'connecting' | 'open' | 'crashing' | 'crashed' | 'survived' | 'closing' | 'done';

interface Pending {
  data: Buffer;
  sentAt: number;
}

function printable(b: Buffer): string {
  return JSON.stringify(b.subarray(0, 40).toString('latin1'));
}

/**
 * One client connection of a load run: sends messages when the run says so, checks every echoed byte
 * against what it sent, in order, and measures each message's round trip. A connection chosen to crash
 * stops sending at its moment, waits for its echoes, then sends the crash word and watches what the
 * server does: close it, leave it open and silent, or echo the word back.
 */
export class LoadConnection {
  state: State = 'connecting';
  readonly socket: Socket;
  private readonly pending: Pending[] = [];
  /** Bytes of the first pending message already echoed. */
  private headOffset = 0;
  private pendingBytes = 0;
  private crashLine: Buffer | null = null;
  private crashEchoedBytes = 0;
  private everOpened = false;
  sequence = 0;
  nextSendAt = 0;
  /** When the crash word went out (ms since the run's start; the run sets it). */
  crashSentAt = 0;

  constructor(
    readonly id: number,
    host: string,
    port: number,
    readonly openedAt: number,
    /** When this connection sends the crash word (ms since the run's start), or null. */
    readonly crashAt: number | null,
    private readonly sink: ConnectionSink,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('connect', () => {
      if (this.state !== 'connecting') return;
      this.state = 'open';
      this.everOpened = true;
      sink.opened();
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd(null));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.onEnd(error));
    this.socket.on('close', () => this.onClose());
  }

  /** Unanswered messages. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Whether the connection can take another message now (else the send is skipped). */
  canSend(): boolean {
    return (
      this.state === 'open' &&
      this.pending.length < MAX_IN_FLIGHT_MESSAGES &&
      this.pendingBytes < MAX_IN_FLIGHT_BYTES &&
      !this.socket.writableNeedDrain
    );
  }

  /** Sends messages as one write; the caller checked canSend(). */
  send(messages: Buffer[], now: number): void {
    for (const data of messages) {
      this.pending.push({ data, sentAt: now });
      this.pendingBytes += data.length;
    }
    this.socket.write(messages.length === 1 ? messages[0]! : Buffer.concat(messages));
  }

  /** Stops sending; the crash word goes out once every echo so far is back (or at once if `force`). */
  beginCrash(word: string, force = false): boolean {
    if (this.state === 'open') this.state = 'crashing';
    if (this.state !== 'crashing' || (this.pending.length > 0 && !force)) return false;
    this.crashLine = Buffer.from(`${word}\r\n`);
    this.state = 'crashed';
    this.socket.write(this.crashLine);
    return true;
  }

  /** Ends the connection politely (our side's FIN); the close follows. */
  end(): void {
    if (this.state === 'done' || this.state === 'closing') return;
    this.state = 'closing';
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Messages still unanswered, for the run's tally at the end. */
  unanswered(): number {
    return this.pending.length;
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'done') return;
    let offset = 0;
    while (offset < chunk.length) {
      const head = this.pending[0];
      if (!head) {
        this.unexpected(chunk.subarray(offset));
        return;
      }
      const want = head.data.length - this.headOffset;
      const take = Math.min(want, chunk.length - offset);
      if (chunk.compare(head.data, this.headOffset, this.headOffset + take, offset, offset + take) !== 0) {
        this.sink.mismatch(
          `connection ${this.id}: expected ${printable(head.data.subarray(this.headOffset))}, got ${printable(chunk.subarray(offset))}`,
        );
        this.fail();
        return;
      }
      offset += take;
      this.headOffset += take;
      if (this.headOffset === head.data.length) {
        this.pending.shift();
        this.pendingBytes -= head.data.length;
        this.headOffset = 0;
        this.sink.echoed(performance.now() - head.sentAt, take);
      } else this.sink.echoedBytes(take);
    }
  }

  /** Bytes with no message waiting for them: the crash word echoed back, or garbage. */
  private unexpected(data: Buffer): void {
    const line = this.crashLine;
    if (line && this.crashEchoedBytes + data.length <= line.length) {
      if (data.equals(line.subarray(this.crashEchoedBytes, this.crashEchoedBytes + data.length))) {
        this.crashEchoedBytes += data.length;
        if (this.crashEchoedBytes === line.length) {
          this.state = 'survived';
          this.sink.crashEchoed();
        }
        return;
      }
    }
    this.sink.mismatch(`connection ${this.id}: got ${printable(data)} when nothing was expected`);
    this.fail();
  }

  private fail(): void {
    this.state = 'done';
    this.socket.destroy();
  }

  private onEnd(error: NodeJS.ErrnoException | null): void {
    const state = this.state;
    if (state === 'done' || state === 'closing') return;
    this.state = 'done';
    if (state === 'crashed') {
      this.sink.crashClosed();
    } else if (state === 'connecting') {
      const kind = error?.code ?? 'closed before connecting';
      this.sink.error(kind, `connection ${this.id}: ${error?.message ?? kind}`);
    } else {
      const kind = error ? (error.code ?? 'socket error') : 'closed by server';
      this.sink.error(kind, `connection ${this.id}: ${error?.message ?? 'the server closed the connection'}`);
    }
    this.socket.destroy();
  }

  private onClose(): void {
    if (this.state !== 'done' && this.state !== 'closing') this.onEnd(null);
    this.state = 'done';
    this.sink.closed(this.everOpened);
  }
}
