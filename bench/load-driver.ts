/**
 * The load, from its own process so it never shares a CPU turn with the server it measures.
 *   rtt  <port> <conns> <seconds>  ping-pong of 32-byte lines on every connection
 *   bulk <port> <conns> <mib>      stream MiB per connection and read the echo back
 *   hold <port> <conns>            open and hold idle connections until told to release
 * Prints one JSON line (DriverResult); `hold` reports over IPC and waits for 'release'.
 */
import { connect, type Socket } from 'node:net';
import type { DriverResult } from './bench-protocol';

const [scenario, portArg, connsArg, amountArg] = process.argv.slice(2);
const port = Number(portArg);
const conns = Number(connsArg);

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

async function openMany(count: number): Promise<{ sockets: Socket[]; errors: number }> {
  const sockets: Socket[] = [];
  let errors = 0;
  for (let i = 0; i < count; i += 500) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(500, count - i) }, open));
    for (const r of batch) {
      if (r.status === 'fulfilled') sockets.push(r.value);
      else errors++;
    }
  }
  return { sockets, errors };
}

async function rtt(seconds: number): Promise<DriverResult> {
  const { sockets, errors } = await openMany(conns);
  const message = Buffer.from(`${'x'.repeat(31)}\n`);
  let roundTrips = 0;
  let running = true;
  // Bounded by time: each connection stops after its in-flight round trip once `seconds` elapse.
  const timer = setTimeout(() => {
    running = false;
  }, seconds * 1000);
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          let pending = message.length;
          s.on('data', (d: Buffer) => {
            pending -= d.length;
            if (pending > 0) return;
            roundTrips++;
            if (!running) return resolve();
            pending = message.length;
            s.write(message);
          });
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          s.write(message);
        }),
    ),
  );
  clearTimeout(timer);
  const elapsed = (performance.now() - started) / 1000;
  for (const s of sockets) s.destroy();
  return { scenario: 'rtt', roundTrips, seconds: elapsed, errors };
}

async function bulk(mib: number): Promise<DriverResult> {
  const { sockets, errors } = await openMany(conns);
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7919) % 251;
  const total = mib * 1024 * 1024;
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          let received = 0;
          let sent = 0;
          s.on('data', (d: Buffer) => {
            received += d.length;
            if (received >= total) resolve();
          });
          s.on('error', () => resolve());
          const pump = (): void => {
            while (sent < total) {
              sent += chunk.length;
              if (!s.write(chunk)) return void s.once('drain', pump);
            }
          };
          pump();
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.destroy();
  return { scenario: 'bulk', bytes: total * sockets.length, seconds, errors };
}

async function hold(): Promise<void> {
  const { sockets, errors } = await openMany(conns);
  for (const s of sockets) s.on('error', () => {});
  process.send?.({ scenario: 'hold', connected: sockets.length, errors } satisfies DriverResult);
  process.on('message', () => {
    for (const s of sockets) s.destroy();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  if (scenario === 'hold') return hold();
  const amount = Number(amountArg);
  const result = scenario === 'rtt' ? await rtt(amount) : await bulk(amount);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

void main();
