import type { Socket } from 'node:net';
import { type HeldWrite, SMALL_WRITE_BYTES, type TurnWriteBatch, turnWrites } from './turn-write-batch';

const EMPTY = Buffer.alloc(0);

/** Where a socket's shared event handlers find the AwaitableSocket that owns it. */
const OWNER = Symbol('AwaitableSocket');
type OwnedSocket = Socket & { [OWNER]: AwaitableSocket };

/** What `sendAll` returns when the data left without waiting: the caller never suspended there. */
export const SENT: Promise<void> = Promise.resolve();

/** Bytes read ahead of `recv` before the socket stops reading and the kernel applies backpressure. */
export const READ_AHEAD_LIMIT = 64 * 1024;

/**
 * Who waits on a recv or a send: resumed exactly once, with the data (recv: a buffer, empty at EOF;
 * send: null) or with the error raised at that await. A task is resumed synchronously from the socket's
 * event, as asyncio's Task.__step resumes its coroutine.
 */
export interface Waiter {
  resume(data: Buffer | null, error: Error | null): void;
}

/** The promise form of a waiter (`recv` and `sendAll`). */
class PromiseWaiter implements Waiter {
  constructor(
    private readonly resolve: (data: Buffer) => void,
    private readonly reject: (err: Error) => void,
  ) {}
  resume(data: Buffer | null, error: Error | null): void {
    if (error) this.reject(error);
    else this.resolve(data ?? EMPTY);
  }
}

/**
 * asyncio's `sock_recv` / `sock_sendall` over a Node socket.
 *
 * A read returns what is queued, up to `max` bytes, as a kernel socket's recv does: data that arrived in
 * separate reads is joined (a client's `'a'*500` then `boom\r\n`, queued while the task was blocked,
 * come back as one 506-byte read, as in CPython); with nothing queued it waits for the next arrival; an
 * empty buffer means EOF. A send returns once the data is handed to the kernel, held to leave with this
 * turn's other small echoes (see TurnWriteBatch) or sits under the socket's high-water mark, and
 * otherwise waits for 'drain': a client that never reads parks its task in send with bounded memory.
 *
 * Two forms: `recvNow`/`sendNow` complete at once when they can (as sock_recv returns without suspending
 * when data is there) and `waitRecv`/`waitSend` resume a Waiter later; `recv`/`sendAll` are the same as
 * promises. This object references a waiting task only while it waits, so a failed task can be
 * garbage-collected while its socket stays open, as in CPython.
 */
export class AwaitableSocket implements HeldWrite {
  /** Received chunks not yet taken, from `chunkHead` on; the first starts at `headOffset`. */
  private chunks: Buffer[] = [];
  private chunkHead = 0;
  private headOffset = 0;
  private bufferedBytes = 0;
  /**
   * Reading was stopped at the read-ahead limit and the loop has not polled the socket since it resumed:
   * the kernel may hold more than is queued here.
   */
  private kernelMayHoldMore = false;
  private ended = false;
  private failure: Error | null = null;
  /** The waiting recv: who, for at most how many bytes, and whether it is topping up (see waitRecv). */
  private reader: Waiter | null = null;
  private readerMax = 0;
  private readerTopUp = false;
  private writer: Waiter | null = null;
  /** An interruption (cancellation) waiting for the next await, when none was pending. */
  private interruption: Error | null = null;
  private reading = true;
  private closed = false;
  private closeListeners: Array<(hadError: boolean) => void> | null = null;
  /**
   * Echoes held back while more input is buffered, so consecutive ones leave in one write: the first
   * slice and the length of the adjacent run that starts with it (the joined view is made at flush).
   */
  private unsent: Buffer | null = null;
  private unsentLength = 0;
  private flushScheduled = false;
  /** Held in `turnWrites` until the end of this turn of the event loop. */
  private heldForTurn = false;
  /** Queued bytes when a top-up read last looked. */
  private topUpSeen = 0;

  /** `writes` is the process's turn batch; tests give their own. */
  constructor(
    readonly socket: Socket,
    private readonly writes: TurnWriteBatch = turnWrites,
  ) {
    // Shared handlers, `this` being the socket: a connection costs no closure per event.
    (socket as OwnedSocket)[OWNER] = this;
    socket.on('data', AwaitableSocket.onSocketData);
    socket.on('end', AwaitableSocket.onSocketEnd);
    socket.on('error', AwaitableSocket.onSocketError);
    socket.on('drain', AwaitableSocket.onSocketDrain);
    socket.on('close', AwaitableSocket.onSocketClose);
  }

  // The socket's event handlers, shared by every connection: `this` is the socket.
  private static readonly onSocketData = function (this: OwnedSocket, chunk: Buffer): void {
    this[OWNER].onData(chunk);
  };
  private static readonly onSocketEnd = function (this: OwnedSocket): void {
    this[OWNER].onEnd();
  };
  private static readonly onSocketError = function (this: OwnedSocket, err: Error): void {
    this[OWNER].onError(err);
  };
  private static readonly onSocketDrain = function (this: OwnedSocket): void {
    this[OWNER].settleWriter(null);
  };
  private static readonly onSocketClose = function (this: OwnedSocket, hadError: boolean): void {
    this[OWNER].onClose(hadError);
  };

  private static flushUnsentLater(conn: AwaitableSocket): void {
    conn.flushScheduled = false;
    conn.flushUnsent();
  }

  /** The loop polled the socket since reading resumed: what the kernel held has been read. */
  private static afterResumePoll(conn: AwaitableSocket): void {
    if (conn.reading) conn.kernelMayHoldMore = false;
  }

  /**
   * After a poll of the socket: a top-up read that got more data polls again (the peer's kernel sends
   * more as soon as a read opens the window, as it would during CPython's recv); once a poll brings
   * nothing new, or enough is queued, it gets what is queued.
   */
  private static pollTopUp(conn: AwaitableSocket): void {
    if (!conn.reader || !conn.readerTopUp) return;
    if (conn.bufferedBytes < conn.readerMax && conn.bufferedBytes > conn.topUpSeen && conn.reading) {
      conn.topUpSeen = conn.bufferedBytes;
      setImmediate(AwaitableSocket.pollTopUp, conn);
    } else conn.endTopUp();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes received but not yet taken by `recv`. */
  get unreadBytes(): number {
    return this.bufferedBytes;
  }

  /** Bytes accepted by `sendAll` but not yet flushed to the kernel. */
  get unsentBytes(): number {
    return this.socket.writableLength + (this.unsent === null ? 0 : this.unsentLength);
  }

  flushHeld(): void {
    this.heldForTurn = false;
    this.flushUnsent();
  }

  /** Whether `recv` would suspend now (nothing buffered, no EOF, error or cancellation to deliver). */
  get recvWouldWait(): boolean {
    return this.bufferedBytes === 0 && !this.interruption && !this.failure && !this.ended && !this.closed;
  }

  /**
   * A recv that completes at once: the data queued (up to `max`), or EOF; null when it must wait
   * (then `waitRecv`). Throws what the await raises: a cancellation, or the connection's error.
   */
  recvNow(max: number): Buffer | null {
    if (this.interruption) throw this.takeInterruption();
    if (this.bufferedBytes > 0) {
      // What the kernel holds beyond the read-ahead belongs to this read too, as it would in CPython.
      if (this.bufferedBytes < max && this.kernelMayHoldMore) return null;
      return this.take(max);
    }
    if (this.failure) throw this.failure;
    if (this.ended || this.closed) return EMPTY;
    return null;
  }

  /**
   * Two or more whole reads of `size` bytes that `recvNow(size)` would return one after another, as one
   * view of the queue, not taken yet (`skip` takes them). Null when one chunk does not hold two, when an
   * interruption waits to be raised at the next recv, or when the first read's echo would not simply
   * leave: it would wait for 'drain' (the socket's buffer is full) or fail (the connection broke), with
   * the other reads still queued.
   */
  queuedReads(size: number): Buffer | null {
    if (this.interruption || this.bufferedBytes < 2 * size) return null;
    if (this.failure || this.closed || this.socket.destroyed) return null;
    if (this.socket.writableLength >= this.socket.writableHighWaterMark) return null;
    const head = this.chunks[this.chunkHead]!;
    const headLeft = head.length - this.headOffset;
    const whole = headLeft - (headLeft % size);
    return whole >= 2 * size ? head.subarray(this.headOffset, this.headOffset + whole) : null;
  }

  /** Takes the first `bytes` of what `queuedReads` returned. */
  skip(bytes: number): void {
    this.take(bytes);
  }

  /**
   * Resumes `waiter` with the next read (up to `max` bytes), EOF or error, after `recvNow` said to wait.
   * With some data queued, the wait is a top-up: once the loop has polled the socket, it gets what is
   * queued then.
   */
  waitRecv(max: number, waiter: Waiter): void {
    this.reader = waiter;
    this.readerMax = max;
    this.readerTopUp = this.bufferedBytes > 0;
    this.startReading();
    if (this.readerTopUp) {
      this.topUpSeen = this.bufferedBytes;
      setImmediate(AwaitableSocket.pollTopUp, this);
    }
  }

  /**
   * A send: true when the data left (or is held to leave with the next echo this tick), false when the
   * sender must wait for the peer to read (then `waitSend`). Throws what the await raises.
   */
  sendNow(data: Buffer): boolean {
    if (this.interruption) throw this.takeInterruption();
    if (this.failure) throw this.failure;
    if (this.closed || this.socket.destroyed) throw brokenPipe();
    // More buffered input means more echoes this turn. recv(1024) slices one kernel read into views of
    // the same memory, so consecutive echoes usually join into one view: one write, not one per slice.
    const head = this.unsent;
    if (
      head !== null &&
      data.buffer === head.buffer &&
      head.byteOffset + this.unsentLength === data.byteOffset
    ) {
      this.unsentLength += data.length;
    } else {
      if (head !== null) this.flushUnsent();
      this.unsent = data;
      this.unsentLength = data.length;
    }
    if (this.bufferedBytes > 0 && this.hasRoomToHold()) {
      // The task's next recv returns at once and sends again; this tick's end flushes whatever is left.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        process.nextTick(AwaitableSocket.flushUnsentLater, this);
      }
      return true;
    }
    if (this.unsentLength > SMALL_WRITE_BYTES) return this.flushUnsent();
    if (this.writes.isGathering && this.hasRoomToHold()) {
      // Other connections echo this turn too: this echo leaves with theirs, at the turn's end.
      if (!this.heldForTurn) {
        this.heldForTurn = true;
        this.writes.hold(this);
      }
      return true;
    }
    this.writes.wroteNow();
    return this.flushUnsent();
  }

  /** Resumes `waiter` once the peer has read enough ('drain'), or with the error that ends the send. */
  waitSend(waiter: Waiter): void {
    this.writer = waiter;
  }

  /** `recvNow`, else `waitRecv`, as a promise. */
  recv(max: number): Promise<Buffer> {
    try {
      const data = this.recvNow(max);
      if (data) return Promise.resolve(data);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => this.waitRecv(max, new PromiseWaiter(resolve, reject)));
  }

  /** `sendNow`, else `waitSend`, as a promise (`SENT` when it did not wait). */
  sendAll(data: Buffer): Promise<void> {
    try {
      if (this.sendNow(data)) return SENT;
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => this.waitSend(new PromiseWaiter(() => resolve(), reject)));
  }

  /** Whether the held run may grow: it stays under the read-ahead limit, the socket under its high-water mark. */
  private hasRoomToHold(): boolean {
    return (
      this.unsentLength < READ_AHEAD_LIMIT && this.socket.writableLength < this.socket.writableHighWaterMark
    );
  }

  /** Writes what was held back; false when the socket asks the writer to wait for 'drain'. */
  private flushUnsent(): boolean {
    const head = this.unsent;
    if (head === null) return true;
    this.unsent = null;
    if (this.closed || this.socket.destroyed) return true;
    const run =
      this.unsentLength === head.length ? head : Buffer.from(head.buffer, head.byteOffset, this.unsentLength);
    return this.socket.write(run);
  }

  /** Raises `err` at the pending recv or send; with none pending, at the next one. */
  interrupt(err: Error): void {
    // A top-up read has data: CPython's recv would have returned it without suspending, so the
    // interruption waits for the next await.
    if (this.reader && this.readerTopUp) {
      this.interruption = err;
      this.endTopUp();
    } else if (this.reader) this.settleReader(null, err);
    else if (this.writer) this.settleWriter(err);
    else this.interruption = err;
  }

  /**
   * Closes the connection. Received data nobody read makes it a reset, as a kernel does on close().
   * What `sendAll` accepted and still holds leaves first: the task counts it as sent. Then `graceful`
   * sends FIN (destroyed anyway after `lingerMs`); otherwise the socket is destroyed at once.
   */
  close(graceful: boolean, lingerMs = 2000): { reset: boolean } {
    this.flushUnsent();
    const reset = this.bufferedBytes > 0;
    this.chunks = [];
    this.chunkHead = 0;
    this.headOffset = 0;
    this.bufferedBytes = 0;
    if (this.closed || this.socket.destroyed) return { reset: false };
    if (reset) this.socket.resetAndDestroy();
    else if (graceful && this.socket.writableLength > 0) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), lingerMs).unref();
    } else this.socket.destroy();
    return { reset };
  }

  onClosed(listener: (hadError: boolean) => void): void {
    if (this.closed) listener(false);
    else if (this.closeListeners) this.closeListeners.push(listener);
    else this.closeListeners = [listener];
  }

  private takeInterruption(): Error {
    const err = this.interruption!;
    this.interruption = null;
    return err;
  }

  /** Takes up to `max` queued bytes (some must be queued): a view when one chunk holds them, else a join. */
  private take(max: number): Buffer {
    const head = this.chunks[this.chunkHead]!;
    const headLeft = head.length - this.headOffset;
    let out: Buffer;
    if (headLeft > max) {
      out = head.subarray(this.headOffset, this.headOffset + max);
      this.headOffset += max;
    } else if (headLeft === max || this.bufferedBytes === headLeft) {
      out = this.headOffset === 0 ? head : head.subarray(this.headOffset);
      this.dropHead();
    } else {
      out = this.join(Math.min(max, this.bufferedBytes));
    }
    this.bufferedBytes -= out.length;
    if (!this.reading && this.bufferedBytes < READ_AHEAD_LIMIT && !this.ended) this.startReading();
    return out;
  }

  /** Copies `size` bytes from the front of several chunks into one buffer. */
  private join(size: number): Buffer {
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const head = this.chunks[this.chunkHead]!;
      const n = Math.min(head.length - this.headOffset, size - filled);
      filled += head.copy(out, filled, this.headOffset, this.headOffset + n);
      if (this.headOffset + n === head.length) this.dropHead();
      else this.headOffset += n;
    }
    return out;
  }

  private dropHead(): void {
    this.chunks[this.chunkHead++] = EMPTY;
    this.headOffset = 0;
    if (this.chunkHead === this.chunks.length) {
      this.chunks.length = 0;
      this.chunkHead = 0;
    } else if (this.chunkHead >= 1024 && this.chunkHead * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.chunkHead);
      this.chunkHead = 0;
    }
  }

  private startReading(): void {
    if (this.reading || this.closed) return;
    this.reading = true;
    this.socket.resume();
    // Chunks Node buffered while paused come first, synchronously; the kernel's data only after a poll.
    if (this.kernelMayHoldMore) setImmediate(AwaitableSocket.afterResumePoll, this);
  }

  private onData(chunk: Buffer): void {
    // The common case of an echo: a waiting recv and a chunk it can take whole, nothing buffered.
    if (this.reader && this.bufferedBytes === 0 && chunk.length <= this.readerMax) {
      this.settleReader(chunk, null);
      return;
    }
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    if (this.bufferedBytes >= READ_AHEAD_LIMIT) {
      this.reading = false;
      this.kernelMayHoldMore = true;
      this.socket.pause();
    }
    if (this.reader && (!this.readerTopUp || this.bufferedBytes >= this.readerMax))
      this.settleReader(this.take(this.readerMax), null);
  }

  private onEnd(): void {
    this.ended = true;
    this.kernelMayHoldMore = false;
    if (this.reader && this.readerTopUp) this.endTopUp();
    else if (this.reader && this.bufferedBytes === 0) this.settleReader(EMPTY, null);
  }

  private onError(err: Error): void {
    this.failure = err;
    // Data already queued is still read first; the error comes with the next recv.
    if (this.reader && this.readerTopUp) this.endTopUp();
    else if (this.reader) this.settleReader(null, err);
    this.settleWriter(err);
  }

  private onClose(hadError: boolean): void {
    this.closed = true;
    // A close we did not see coming (destroyed locally) reads as EOF to a waiting recv.
    if (this.reader && this.readerTopUp) this.endTopUp();
    else if (this.reader) this.settleReader(EMPTY, null);
    if (this.writer) this.settleWriter(this.failure ?? brokenPipe());
    const listeners = this.closeListeners;
    this.closeListeners = null;
    if (listeners) for (const listener of listeners) listener(hadError);
  }

  /** Ends a top-up read with what is queued now (EOF if a local close emptied the queue meanwhile). */
  private endTopUp(): void {
    if (!this.reader || !this.readerTopUp) return;
    this.settleReader(this.bufferedBytes > 0 ? this.take(this.readerMax) : EMPTY, null);
  }

  /** Resumes the waiting reader (which may wait again before this returns). */
  private settleReader(data: Buffer | null, err: Error | null): void {
    const reader = this.reader!;
    this.reader = null;
    this.readerTopUp = false;
    reader.resume(data, err);
  }

  private settleWriter(err: Error | null): void {
    const writer = this.writer;
    if (!writer) return;
    this.writer = null;
    writer.resume(null, err);
  }
}

function brokenPipe(): Error {
  return Object.assign(new Error('Connection closed before the data could be sent'), { code: 'EPIPE' });
}
