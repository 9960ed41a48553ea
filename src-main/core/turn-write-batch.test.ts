import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AwaitableSocket } from './awaitable-socket';
import { LoopbackClient } from './testing/loopback-client';
import { type HeldWrite, PROBE_EVERY, SMALL_WRITE_BYTES, TurnWriteBatch } from './turn-write-batch';

/** A batch whose turn ends when the test says so. */
function manualBatch(): { batch: TurnWriteBatch; endTurn(): void; scheduled(): number } {
  let pending: Array<() => void> = [];
  const batch = new TurnWriteBatch((run) => pending.push(run));
  return {
    batch,
    endTurn() {
      const runs = pending;
      pending = [];
      for (const run of runs) run();
    },
    scheduled: () => pending.length,
  };
}

/** Writes alone in their turns until a probe, then `writers` small writes in the probed turn. */
function probeTurn(batch: TurnWriteBatch, writers: number): void {
  for (let i = 0; i < PROBE_EVERY - 1; i++) batch.wroteNow();
  for (let i = 0; i < writers; i++) batch.wroteNow();
}

describe('TurnWriteBatch: when small writes are gathered', () => {
  it('does not gather, nor schedule anything, for writes that come one per turn', () => {
    const { batch, scheduled } = manualBatch();
    for (let i = 0; i < PROBE_EVERY - 1; i++) batch.wroteNow();
    expect(scheduled()).toBe(0);
    expect(batch.isGathering).toBe(false);
  });

  it('measures one turn in PROBE_EVERY writes: one writer leaves it off, two turn it on', () => {
    const alone = manualBatch();
    probeTurn(alone.batch, 1);
    expect(alone.scheduled()).toBe(1);
    alone.endTurn();
    expect(alone.batch.isGathering).toBe(false);

    const two = manualBatch();
    probeTurn(two.batch, 2);
    two.endTurn();
    expect(two.batch.isGathering).toBe(true);
  });

  it('flushes every held write once at the turn end, and stops gathering after a turn with one writer', () => {
    const { batch, endTurn, scheduled } = manualBatch();
    probeTurn(batch, 2);
    endTurn();
    const flushed: string[] = [];
    const write = (name: string): HeldWrite => ({ flushHeld: () => flushed.push(name) });
    batch.hold(write('a'));
    batch.hold(write('b'));
    expect(scheduled()).toBe(1);
    expect(flushed).toEqual([]);
    endTurn();
    expect(flushed).toEqual(['a', 'b']);
    expect(batch.isGathering).toBe(true);
    batch.hold(write('c'));
    endTurn();
    expect(flushed).toEqual(['a', 'b', 'c']);
    expect(batch.isGathering).toBe(false);
  });
});

describe('AwaitableSocket with a gathering batch (real loopback sockets)', () => {
  const servers: Server[] = [];
  const opened: Array<{ destroy(): void }> = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function connection(
    batch: TurnWriteBatch,
  ): Promise<{ conn: AwaitableSocket; client: LoopbackClient }> {
    let accept!: (s: Socket) => void;
    const accepted = new Promise<Socket>((resolve) => {
      accept = resolve;
    });
    const server = createServer({ noDelay: true, allowHalfOpen: true }, accept);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = await LoopbackClient.open((server.address() as { port: number }).port);
    const socket = await accepted;
    opened.push(client, socket);
    return { conn: new AwaitableSocket(socket, batch), client };
  }

  /** A batch already gathering, as after a turn in which several connections echoed. */
  async function gathering(): Promise<TurnWriteBatch> {
    const batch = new TurnWriteBatch();
    probeTurn(batch, 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batch.isGathering).toBe(true);
    return batch;
  }

  it("holds two connections' small echoes until the turn ends, then both arrive whole and in order", async () => {
    const batch = await gathering();
    const a = await connection(batch);
    const b = await connection(batch);
    expect(a.conn.sendNow(Buffer.from('one\n'))).toBe(true);
    expect(b.conn.sendNow(Buffer.from('two\n'))).toBe(true);
    // Held, not written: neither socket has been handed its bytes yet.
    expect([a.conn.socket.bytesWritten, b.conn.socket.bytesWritten]).toEqual([0, 0]);
    expect([a.conn.unsentBytes, b.conn.unsentBytes]).toEqual([4, 4]);
    // A connection holds one run: an echo that does not continue it sends the run held before it.
    expect(a.conn.sendNow(Buffer.from('three\n'))).toBe(true);
    expect(a.conn.socket.bytesWritten).toBe(4);
    expect(a.conn.unsentBytes).toBe(6);
    await a.client.untilReceived(10);
    await b.client.untilReceived(4);
    expect(a.client.received.toString()).toBe('one\nthree\n');
    expect(b.client.received.toString()).toBe('two\n');
  });

  it('writes an echo larger than SMALL_WRITE_BYTES at once, even while gathering', async () => {
    const batch = await gathering();
    const { conn, client } = await connection(batch);
    const big = Buffer.alloc(SMALL_WRITE_BYTES + 1, 0x61);
    expect(conn.sendNow(big)).toBe(true);
    expect(conn.socket.bytesWritten).toBe(big.length);
    await client.untilReceived(big.length);
  });

  it('sends a held echo ahead of an abortive close: the task had counted it as sent', async () => {
    const batch = await gathering();
    const { conn, client } = await connection(batch);
    expect(conn.sendNow(Buffer.from('last words\n'))).toBe(true);
    conn.close(false);
    await client.untilEnded();
    expect(client.received.toString()).toBe('last words\n');
  });
});
