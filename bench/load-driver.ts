/**
 * The scenarios of bench/echo-load.c in Node, for machines without a C compiler (slower: on a small
 * machine it may become the bottleneck, which the bench says when it uses it). Same arguments, same output:
 *   rtt   <port> <conns> <seconds> <msg_bytes>
 *   bulk  <port> <conns> <seconds> <chunk_bytes>
 *   churn <port> <concurrency> <seconds> <max_conns> <msg_bytes>
 *   hold  <port> <conns>            (closes its connections when stdin ends)
 */
import { connect, type Socket } from 'node:net';
import type { DriverResult } from './bench-protocol';

const [scenario, portArg, connsArg, ...rest] = process.argv.slice(2);
const port = Number(portArg);
const conns = Number(connsArg);
const BULK_WINDOW = 1 << 20;

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
  for (let i = 0; i < count; i += 256) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(256, count - i) }, open));
    for (const r of batch) {
      if (r.status === 'fulfilled') sockets.push(r.value);
      else errors++;
    }
  }
  return { sockets, errors };
}

function message(bytes: number, fill: string): Buffer {
  const m = Buffer.alloc(bytes, fill);
  m[bytes - 1] = 0x0a;
  return m;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
}

async function rtt(seconds: number, bytes: number): Promise<DriverResult> {
  const { sockets, errors } = await openMany(conns);
  const msg = message(bytes, 'x');
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          let pending = bytes;
          let sentAt = performance.now();
          s.on('data', (d: Buffer) => {
            pending -= d.length;
            if (pending > 0) return;
            const now = performance.now();
            if (now >= deadline) return resolve();
            latencies.push((now - sentAt) * 1000);
            pending = bytes;
            sentAt = now;
            s.write(msg);
          });
          s.on('error', () => resolve());
          s.write(msg);
        }),
    ),
  );
  for (const s of sockets) s.destroy();
  latencies.sort((a, b) => a - b);
  return {
    scenario: 'rtt',
    roundTrips: latencies.length,
    seconds,
    errors,
    p50us: Math.round(percentile(latencies, 0.5)),
    p99us: Math.round(percentile(latencies, 0.99)),
  };
}

async function bulk(seconds: number, chunkBytes: number): Promise<DriverResult> {
  const { sockets, errors } = await openMany(conns);
  const chunk = Buffer.alloc(chunkBytes);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7919) % 251;
  let total = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          let received = 0;
          let sent = 0;
          const pump = (): void => {
            while (sent - received < BULK_WINDOW && performance.now() < deadline) {
              sent += chunk.length;
              if (!s.write(chunk)) return void s.once('drain', pump);
            }
          };
          s.on('data', (d: Buffer) => {
            if (performance.now() >= deadline) return resolve();
            received += d.length;
            total += d.length;
            if (sent - received < BULK_WINDOW / 2) pump();
          });
          s.on('error', () => resolve());
          setTimeout(resolve, seconds * 1000 + 50);
          pump();
        }),
    ),
  );
  for (const s of sockets) s.destroy();
  return { scenario: 'bulk', bytes: total, seconds: (performance.now() - started) / 1000, errors };
}

async function churn(seconds: number, max: number, bytes: number): Promise<DriverResult> {
  const msg = message(bytes, 'c');
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let begun = 0;
  let completed = 0;
  let errors = 0;
  let last = started;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const s = connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
      let got = 0;
      s.on('connect', () => s.write(msg));
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= bytes) s.end();
      });
      s.on('end', () => {
        if (got >= bytes && performance.now() < deadline) {
          completed++;
          last = performance.now();
        }
        s.destroy();
        resolve();
      });
      s.on('error', () => {
        errors++;
        resolve();
      });
    });
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline && (max === 0 || begun < max) && errors < 1000) {
      begun++;
      await once();
    }
  };
  const lanes = Promise.all(Array.from({ length: conns }, lane));
  // A connection the server never closes is abandoned at the deadline.
  await Promise.race([lanes, new Promise((r) => setTimeout(r, seconds * 1000 + 100))]);
  const unfinished = begun - completed - errors;
  return {
    scenario: 'churn',
    connections: completed,
    seconds: ((max > 0 ? last : deadline) - started) / 1000,
    errors,
    unfinished,
  };
}

async function hold(): Promise<void> {
  const { sockets, errors } = await openMany(conns);
  for (const s of sockets) s.on('error', () => {});
  process.stdout.write(
    `${JSON.stringify({ scenario: 'hold', connected: sockets.length, errors } satisfies DriverResult)}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => {
    for (const s of sockets) s.destroy();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  if (scenario === 'hold') return hold();
  const [a, b, c] = rest.map(Number);
  const result =
    scenario === 'rtt'
      ? await rtt(a!, b!)
      : scenario === 'bulk'
        ? await bulk(a!, b!)
        : await churn(a!, b!, c!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

void main();
