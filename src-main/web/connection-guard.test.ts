import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionGuard } from './connection-guard';

let server: Server;
let port: number;
let guard: ConnectionGuard;
/** Server-side sockets in the order they were accepted. */
let accepted: Socket[];
const clients: Socket[] = [];

beforeEach(async () => {
  guard = new ConnectionGuard({ maxWaiting: 4, maxPerAddress: 3 });
  accepted = [];
  server = createServer((socket) => {
    socket.on('error', () => {});
    accepted.push(socket);
    guard.admit(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of accepted) s.destroy();
  await new Promise((r) => server.close(r));
});

/** Connects from `localAddress` (any 127/8 address is loopback on Linux) and waits until the server took it. */
async function open(localAddress = '127.0.0.1'): Promise<Socket> {
  const before = accepted.length;
  const client = connect({ port, host: '127.0.0.1', localAddress });
  client.on('error', () => {});
  clients.push(client);
  while (accepted.length === before) await new Promise((r) => setTimeout(r, 5));
  return accepted[accepted.length - 1]!;
}

describe('ConnectionGuard', () => {
  it('evicts the oldest waiting connection when too many wait, so the newest always gets in', async () => {
    const first = await open('127.0.0.2');
    const rest = [await open('127.0.0.3'), await open('127.0.0.4'), await open('127.0.0.5')];
    expect(first.destroyed).toBe(false);
    const newest = await open('127.0.0.6');
    expect(first.destroyed).toBe(true);
    expect([...rest, newest].every((s) => !s.destroyed)).toBe(true);
    expect(guard.size).toBe(4);
  });

  it('never evicts a busy connection; an idle one waits again as the newest', async () => {
    const busy = await open('127.0.0.2');
    guard.busy(busy);
    const idleAgain = await open('127.0.0.3');
    guard.busy(idleAgain);
    for (const a of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) await open(a);
    guard.idle(idleAgain);
    await open('127.0.0.7');
    await open('127.0.0.8');
    expect(busy.destroyed).toBe(false);
    expect(idleAgain.destroyed).toBe(false);
    await open('127.0.0.9');
    await open('127.0.0.10');
    expect(idleAgain.destroyed).toBe(true);
    expect(busy.destroyed).toBe(false);
  });

  it("limits one address: its own oldest waiting connection makes room, other addresses' stay", async () => {
    const other = await open('127.0.0.9');
    const [a1, a2, a3] = [await open('127.0.0.2'), await open('127.0.0.2'), await open('127.0.0.2')];
    const a4 = await open('127.0.0.2');
    expect(a1!.destroyed).toBe(true);
    expect([a2, a3, a4].every((s) => !s!.destroyed)).toBe(true);
    expect(other.destroyed).toBe(false);
  });

  it('refuses a new connection from an address whose every connection is busy', async () => {
    const busy = [await open('127.0.0.2'), await open('127.0.0.2'), await open('127.0.0.2')];
    for (const s of busy) guard.busy(s);
    const refused = await open('127.0.0.2');
    expect(refused.destroyed).toBe(true);
    expect(busy.every((s) => !s.destroyed)).toBe(true);
    expect((await open('127.0.0.3')).destroyed).toBe(false);
  });

  it('forgets closed connections', async () => {
    const sockets = [await open('127.0.0.2'), await open('127.0.0.2')];
    for (const s of sockets) s.destroy();
    while (guard.size > 0) await new Promise((r) => setTimeout(r, 5));
    const again = [await open('127.0.0.2'), await open('127.0.0.2'), await open('127.0.0.2')];
    expect(again.every((s) => !s.destroyed)).toBe(true);
  });
});
