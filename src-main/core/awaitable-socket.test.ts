import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AwaitableSocket, READ_AHEAD_LIMIT } from './awaitable-socket';
import { CancelledError } from './cancelled-error';
import { eventually } from './testing/engine-harness';
import { LoopbackClient, sleep } from './testing/loopback-client';
import { hasKernelQueues, kernelQueues } from './testing/tcp-queues';

let server: Server | null = null;
const opened: Array<{ destroy(): void }> = [];

afterEach(async () => {
  for (const s of opened.splice(0)) s.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

/** A real loopback connection: the server side wrapped as the engine wraps it, and its client. */
async function connection(): Promise<{ conn: AwaitableSocket; client: LoopbackClient; socket: Socket }> {
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer({ noDelay: true, allowHalfOpen: true }, resolve);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const client = await LoopbackClient.open((server!.address() as { port: number }).port);
  const socket = await accepted;
  opened.push(client, socket);
  return { conn: new AwaitableSocket(socket), client, socket };
}

describe('recv(n) returns what is queued, up to n bytes', () => {
  it('joins data that arrived in separate reads into one recv, as a kernel buffer would', async () => {
    const { conn, client } = await connection();
    client.write('a'.repeat(500));
    await eventually(() => conn.unreadBytes === 500, 'the first write to be queued');
    client.write('boom\r\n');
    await eventually(() => conn.unreadBytes === 506, 'the second write to be queued');
    const data = await conn.recv(1024);
    expect(data.toString()).toBe(`${'a'.repeat(500)}boom\r\n`);
    expect(conn.unreadBytes).toBe(0);
  });

  it('never returns more than n, and keeps the stream in order across chunk boundaries', async () => {
    const { conn, client } = await connection();
    const sent = Buffer.from(Array.from({ length: 2100 }, (_, i) => 65 + (i % 26)));
    for (const part of [sent.subarray(0, 700), sent.subarray(700, 1400), sent.subarray(1400)]) {
      const before = conn.unreadBytes;
      client.write(part);
      await eventually(() => conn.unreadBytes === before + part.length, 'the part to be queued');
    }
    const reads = [await conn.recv(1000), await conn.recv(1000), await conn.recv(1000)];
    expect(reads.map((r) => r.length)).toEqual([1000, 1000, 100]);
    expect(Buffer.concat(reads).equals(sent)).toBe(true);
  });

  it('with nothing queued, waits for the next arrival and returns at most n of it', async () => {
    const { conn, client } = await connection();
    const pending = conn.recv(4);
    expect(conn.recvWouldWait).toBe(true);
    client.write('hello');
    expect((await pending).toString()).toBe('hell');
    expect((await conn.recv(4)).toString()).toBe('o');
  });

  it.skipIf(!hasKernelQueues())(
    'past the read-ahead limit, what the kernel holds tops up a short remainder: every read is full',
    async () => {
      const { conn, client, socket } = await connection();
      const total = 2 * READ_AHEAD_LIMIT + 300;
      client.write(Buffer.alloc(total, 'x'));
      // Reading stops at the limit (Node's stream may hold a chunk more); the rest waits in the kernel,
      // where CPython's recv would find all of it.
      await eventually(() => {
        const kernel = kernelQueues(socket.localPort!, socket.remotePort!);
        return kernel !== null && conn.unreadBytes + socket.readableLength + kernel.rx === total;
      }, 'every byte to be in the server-side queues');
      expect(conn.unreadBytes).toBeLessThan(total);
      const sizes: number[] = [];
      for (let got = 0; got < total; ) {
        const data = await conn.recv(1000);
        sizes.push(data.length);
        got += data.length;
      }
      expect(sizes.slice(0, -1).filter((n) => n !== 1000)).toEqual([]);
      expect(sizes.at(-1)).toBe(total % 1000);
    },
  );

  it('a cancellation during a top-up lets the queued data through and lands on the next await', async () => {
    const { conn, client } = await connection();
    client.write(Buffer.alloc(READ_AHEAD_LIMIT + 100_000, 'y'));
    await eventually(() => conn.unreadBytes >= READ_AHEAD_LIMIT, 'the read-ahead to fill');
    // Leave less than one read queued, so the next recv tops up from the kernel.
    await conn.recv(conn.unreadBytes - 10);
    const topUp = conn.recv(1000);
    conn.interrupt(new CancelledError('user', 'recv'));
    expect((await topUp).length).toBeGreaterThanOrEqual(10);
    await expect(conn.recv(1000)).rejects.toBeInstanceOf(CancelledError);
  });

  it('returns queued data before EOF, then EOF', async () => {
    const { conn, client } = await connection();
    client.socket.end('last words');
    await eventually(() => conn.unreadBytes === 10, 'the data to be queued');
    await sleep(20);
    expect((await conn.recv(1024)).toString()).toBe('last words');
    expect((await conn.recv(1024)).length).toBe(0);
  });
});
