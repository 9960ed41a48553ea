import { connect, type Socket } from 'node:net';

/**
 * A probe speaking the protocol by hand over a real loopback socket, for tests: writes lines, reads the
 * host's lines, and says when the host closed. Test-only (imported by *.test.ts files).
 */
export class FakeProbe {
  readonly received: unknown[] = [];
  closed = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      for (let nl = this.buffer.indexOf('\n'); nl !== -1; nl = this.buffer.indexOf('\n')) {
        this.received.push(JSON.parse(this.buffer.slice(0, nl)));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<FakeProbe> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new FakeProbe(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes raw text (lines must carry their own newline). */
  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Writes one JSON line. */
  send(message: unknown): void {
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Waits until `check` holds (re-checked on every line and on close), up to `timeoutMs`. */
  async until<T>(check: () => T | undefined | false, timeoutMs = 3_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`FakeProbe: condition not met within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The first host message of `type`, once it arrived. */
  message(type: string): Promise<Record<string, unknown>> {
    return this.until(
      () =>
        this.received.find(
          (m): m is Record<string, unknown> =>
            typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type,
        ) ?? undefined,
    );
  }

  /** Waits for the host to close the connection. */
  async whenClosed(): Promise<void> {
    await this.until(() => this.closed);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
