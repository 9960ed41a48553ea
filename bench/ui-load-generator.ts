/**
 * The UI benchmark's load, from its own process: opens N connections (in batches of 500, loopback
 * only), then on 'burst' sends short lines round-robin at a fixed total rate while closing and
 * replacing connections (churn: accepted/completed/closed are lifecycle events), for a fixed time.
 * Afterwards it holds every open connection idle until told to exit (the UI's Stop cancels them).
 * The Node twin of bench/ui-load.c, for where that does not build; same requests (lines on stdin, whose
 * EOF ends it) and replies (JSON lines on stdout).
 *   ui-load-generator <port> <connections> <seconds> <linesPerSecond> <churnPerSecond> <maxInFlight>
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { GeneratorReply, GeneratorRequest, LoadPlan } from './ui-bench-protocol';

const [port, connections, seconds, linesPerSecond, churnPerSecond, maxInFlight] = process.argv
  .slice(2)
  .map(Number);
const plan: LoadPlan = {
  port: port!,
  connections: connections!,
  seconds: seconds!,
  linesPerSecond: linesPerSecond!,
  churnPerSecond: churnPerSecond!,
  maxInFlight: maxInFlight || Number.POSITIVE_INFINITY,
};
const OPEN_BATCH = 500;
const TICK_MS = 5;
const LINE = Buffer.from('load-generator-line\n');

/** One client connection and the echo bytes it still waits for (one line in flight at most). */
interface Conn {
  socket: Socket;
  awaiting: number;
}

const live: Conn[] = [];
let opened = 0;
let errors = 0;
let bytesEchoed = 0;
let bursting = false;
let pendingOpens = 0;
let inFlight = 0;

function reply(message: GeneratorReply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function open(): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const s = connect({ port: plan.port, host: '127.0.0.1', noDelay: true });
    s.once('connect', () => {
      opened++;
      const conn: Conn = { socket: s, awaiting: 0 };
      s.on('data', (d: Buffer) => {
        bytesEchoed += d.length;
        if (conn.awaiting === 0) return;
        conn.awaiting = Math.max(0, conn.awaiting - d.length);
        if (conn.awaiting === 0) inFlight--;
      });
      s.on('close', () => {
        if (conn.awaiting > 0) inFlight--;
        conn.awaiting = 0;
      });
      // After the burst, the server's Stop resets connections: that is expected, not an error.
      s.on('error', () => {
        if (bursting) errors++;
      });
      resolve(conn);
    });
    s.once('error', reject);
  });
}

async function openInitial(): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < plan.connections; i += OPEN_BATCH) {
    const batch = await Promise.allSettled(
      Array.from({ length: Math.min(OPEN_BATCH, plan.connections - i) }, open),
    );
    for (const r of batch) {
      if (r.status === 'fulfilled') live.push(r.value);
      else errors++;
    }
  }
  reply({ type: 'opened', connections: live.length, errors, ms: performance.now() - started });
}

function replaceOne(): void {
  pendingOpens++;
  open().then(
    (conn) => {
      pendingOpens--;
      live.push(conn);
    },
    () => {
      pendingOpens--;
      errors++;
    },
  );
}

/** Removes `live[i]` in O(1) (order does not matter: sends are round-robin anyway). */
function removeAt(i: number): Conn {
  const s = live[i]!;
  live[i] = live[live.length - 1]!;
  live.pop();
  return s;
}

async function burst(): Promise<void> {
  bursting = true;
  let linesSent = 0;
  let bytesSent = 0;
  let churned = 0;
  let cursor = 0;
  let budget = 0;
  let lastTick = 0;
  const started = performance.now();
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= plan.seconds) {
        clearInterval(timer);
        done();
        return;
      }
      // Closed by the client: the server reads EOF, its task completes and its socket closes.
      // Each one closed is replaced at once; with too many connects in flight, churn waits (bounded).
      for (; churned < Math.floor(plan.churnPerSecond * elapsed) && live.length > 0; churned++) {
        if (pendingOpens >= OPEN_BATCH) break;
        removeAt(Math.floor(Math.random() * live.length)).socket.end();
        replaceOne();
      }
      // Lines not sent in time (their connections were still waiting) are forgiven after 50 ms.
      budget = Math.min(budget + plan.linesPerSecond * (elapsed - lastTick), plan.linesPerSecond * 0.05);
      lastTick = elapsed;
      let owed = Math.floor(budget);
      budget -= owed;
      for (
        let tries = Math.min(live.length, owed * 4 + 64);
        owed > 0 && tries > 0 && live.length > 0;
        tries--
      ) {
        if (cursor >= live.length) cursor = 0;
        const conn = live[cursor]!;
        if (conn.socket.destroyed || conn.socket.writableEnded) {
          removeAt(cursor);
          continue;
        }
        cursor++;
        // Closed loop per connection: a line goes out once the previous one came back, so an
        // overloaded server slows the generator instead of piling up unread data.
        if (conn.awaiting > 0) continue;
        if (inFlight >= plan.maxInFlight) break;
        conn.awaiting = LINE.length;
        inFlight++;
        conn.socket.write(LINE);
        linesSent++;
        bytesSent += LINE.length;
        owed--;
      }
      budget += owed;
    }, TICK_MS);
  });
  const seconds = (performance.now() - started) / 1000;
  // Let the last churn connects finish so `opened` counts every connection the server will accept.
  for (let i = 0; i < 200 && pendingOpens > 0; i++) await new Promise((r) => setTimeout(r, 10));
  bursting = false;
  reply({
    type: 'burst-done',
    opened,
    closed: churned,
    linesSent,
    bytesSent,
    bytesEchoed,
    errors,
    seconds,
    holding: live.filter((c) => !c.socket.destroyed).length,
  });
}

const requests = createInterface({ input: process.stdin });
requests.on('line', (line) => {
  const type = line.trim() as GeneratorRequest['type'];
  if (type === 'burst') void burst();
  else if (type === 'tally') reply({ type: 'tally', opened, pending: pendingOpens, errors });
  else if (type === 'exit') {
    for (const c of live) c.socket.destroy();
    process.exit(0);
  }
});
// The benchmark is gone (crashed or killed): never outlive it.
requests.on('close', () => process.exit(0));
void openInitial();
