import { connect, type Socket } from 'node:net';

/** A loopback TCP connection that counts what it reads (no copies: 10 MB echoes stay cheap). */
export class CountingClient {
  received = 0;
  ended = false;
  closed = false;
  error: string | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      this.onChunk?.(chunk);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err.code ?? err.message;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Sees each chunk as it arrives (to check content without keeping it). */
  onChunk: ((chunk: Buffer) => void) | null = null;

  static open(port: number, options: { paused?: boolean } = {}): Promise<CountingClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const client = new CountingClient(socket);
        // A non-reader: nothing is read, so the kernel's buffers fill and TCP pushes back on the server.
        if (options.paused) socket.pause();
        resolve(client);
      });
    });
  }

  /** Resolves once `predicate` holds, false after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!predicate()) return;
        finish(true);
      };
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(ok);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Writes `data` honouring backpressure; false when the peer stopped taking bytes for `stallMs`. */
  async push(data: Buffer, stallMs: number): Promise<boolean> {
    if (this.socket.write(data)) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.off('drain', onDrain);
        resolve(false);
      }, stallMs);
      const onDrain = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.socket.once('drain', onDrain);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** One echo round trip on a fresh connection: its time in ms, or null when no echo came within 5 s. */
export async function freshRoundTripMs(port: number): Promise<number | null> {
  const started = performance.now();
  const client = await CountingClient.open(port);
  client.socket.write('ping\n');
  const ok = await client.until(() => client.received >= 5, 5000);
  client.destroy();
  return ok ? Math.round(performance.now() - started) : null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
