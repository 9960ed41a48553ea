import type { SharedServers } from './fixtures';
import { change, count, type Probe, size } from './probe';
import { CountingClient, freshRoundTripMs, sleep } from './tcp-client';

/** A server that leaks shows it in descriptors; a few stay in flight after the last close. */
const FD_SLACK = 5;
/** Memory a probe may add to the server (RSS, after its load is gone or at its peak). */
const RSS_BUDGET = 96 * 1024 * 1024;

/**
 * A new client's median echo time while the server is under attack: slower than this is a server that
 * stopped serving. The median, because on a shared machine a single round trip can stall for a second.
 */
const SLOW_ROUND_TRIP_MS = 250;

/** Runs `jobs` with at most `concurrency` at a time. */
async function inBatches(
  jobs: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs) }, worker));
}

/** Waits for the server's descriptors to fall back to at most `limit` (closes finish asynchronously). */
async function settledFds(fds: () => number, limit: number): Promise<number> {
  const deadline = Date.now() + 3000;
  let now = fds();
  while (now > limit && Date.now() < deadline) {
    await sleep(100);
    now = fds();
  }
  return now;
}

/** A deterministic byte stream (mulberry32), so a failing fuzz run can be replayed. */
function randomBytes(seed: number, length: number): Buffer {
  let state = seed >>> 0;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // No 'b' (0x62): the stream can then never hold the crash word "boom" as a line.
    const byte = (t ^ (t >>> 14)) & 0xff;
    bytes[i] = byte === 0x62 ? 0x63 : byte;
  }
  return bytes;
}

export function echoProbes(servers: SharedServers): Probe[] {
  return [
    {
      name: 'slowloris on the echo port',
      fast: true,
      async run({ fast }) {
        const { port } = await servers.echoServer();
        const slow = fast ? 100 : 1000;
        const seconds = fast ? 1.5 : 10;
        const clients = await Promise.all(Array.from({ length: slow }, () => CountingClient.open(port)));
        let drips = 0;
        const drip = setInterval(() => {
          for (const c of clients) c.socket.write('s');
          drips++;
        }, 500);
        const times: number[] = [];
        let lost = 0;
        const until = Date.now() + seconds * 1000;
        while (Date.now() < until) {
          const rtt = await freshRoundTripMs(port);
          if (rtt === null) lost++;
          else times.push(rtt);
          await sleep(50);
        }
        clearInterval(drip);
        const echoed = await Promise.all(clients.map((c) => c.until(() => c.received === drips, 3000)));
        for (const c of clients) c.destroy();
        const allEchoed = echoed.every(Boolean);
        const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.POSITIVE_INFINITY;
        return {
          ok: allEchoed && lost === 0 && median < SLOW_ROUND_TRIP_MS,
          figure: `${count(slow)} clients sending a byte each 500 ms for ${seconds} s: a new client echoes in ${median} ms (median of ${times.length}, max ${Math.max(...times)}, ${lost} lost), every drip echoed: ${allEchoed}`,
        };
      },
    },
    {
      name: '10 MB lines',
      fast: true,
      async run({ fast }) {
        const { port, cli } = await servers.echoServer();
        const lines = fast ? 1 : 3;
        const bytes = (fast ? 2 : 10) * 1024 * 1024;
        const before = cli.rssBytes();
        let peak = before;
        const sampler = setInterval(() => {
          peak = Math.max(peak, cli.rssBytes());
        }, 50);
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: lines }, async () => {
            const c = await CountingClient.open(port);
            let intact = true;
            c.onChunk = (chunk) => {
              if (chunk.some((b) => b !== 0x61)) intact = false;
            };
            const block = Buffer.alloc(64 * 1024, 'a');
            for (let sent = 0; sent < bytes; sent += block.length) {
              if (!(await c.push(block, 5000))) break;
            }
            const complete = await c.until(() => c.received >= bytes, 10_000);
            c.destroy();
            return complete && intact && c.received === bytes;
          }),
        );
        clearInterval(sampler);
        const seconds = (performance.now() - started) / 1000;
        const exact = results.every(Boolean);
        return {
          ok: exact && peak - before < RSS_BUDGET,
          figure: `${lines} × ${size(bytes)} without a newline echoed exactly: ${exact}, ${((lines * bytes) / 1024 / 1024 / seconds).toFixed(0)} MB/s, server rss peak ${change(peak - before)}`,
        };
      },
    },
    {
      name: 'non-readers pushing 200 MB',
      fast: true,
      async run({ fast }) {
        const { port, cli } = await servers.echoServer();
        const clients = fast ? 4 : 20;
        const each = (fast ? 4 : 10) * 1024 * 1024;
        const before = cli.rssBytes();
        const pushers = await Promise.all(
          Array.from({ length: clients }, () => CountingClient.open(port, { paused: true })),
        );
        const block = Buffer.alloc(64 * 1024, 'n');
        const taken = await Promise.all(
          pushers.map(async (c) => {
            let sent = 0;
            while (sent < each && (await c.push(block, 500))) sent += block.length;
            return sent;
          }),
        );
        const during = cli.rssBytes();
        const rtt = await freshRoundTripMs(port);
        for (const c of pushers) c.destroy();
        const accepted = taken.reduce((a, b) => a + b, 0);
        return {
          ok: rtt !== null && during - before < RSS_BUDGET,
          figure: `${clients} clients offered ${size(clients * each)} and read nothing: ${size(accepted)} taken before TCP pushed back, server rss ${change(during - before)}, a new client echoes in ${rtt ?? 'never'} ms`,
        };
      },
    },
    {
      name: 'resets',
      fast: true,
      async run({ fast }) {
        const { port, cli } = await servers.echoServer();
        const resets = fast ? 200 : 2000;
        const fdsBefore = cli.openFds();
        await inBatches(resets, 100, async (i) => {
          const c = await CountingClient.open(port);
          c.socket.write(`half a line ${i}`);
          if (i % 2 === 0) await c.until(() => c.received > 0, 1000);
          c.socket.resetAndDestroy();
        });
        const fdsAfter = await settledFds(() => cli.openFds(), fdsBefore + FD_SLACK);
        const rtt = await freshRoundTripMs(port);
        return {
          ok: rtt !== null && fdsAfter <= fdsBefore + FD_SLACK,
          figure: `${count(resets)} connections reset mid-line: server fds ${fdsBefore} → ${fdsAfter}, a new client echoes in ${rtt ?? 'never'} ms`,
        };
      },
    },
    {
      name: 'half-closes',
      fast: true,
      async run({ fast }) {
        const { port } = await servers.echoServer();
        const clients = fast ? 100 : 1000;
        let clean = 0;
        await inBatches(clients, 100, async () => {
          const c = await CountingClient.open(port);
          c.socket.end('hello\n');
          if ((await c.until(() => c.ended, 3000)) && c.received === 6) clean++;
          c.destroy();
        });
        return {
          ok: clean === clients,
          figure: `${count(clean)}/${count(clients)} clients that wrote a line and shut their side got the echo, then EOF`,
        };
      },
    },
    {
      name: 'binary fuzz',
      fast: true,
      async run({ fast }) {
        const { port } = await servers.echoServer();
        const connections = fast ? 30 : 300;
        const perConnection = (fast ? 32 : 256) * 1024;
        let exact = 0;
        await inBatches(connections, 30, async (i) => {
          const payload = randomBytes(i + 1, perConnection);
          const c = await CountingClient.open(port);
          const echoed: Buffer[] = [];
          c.onChunk = (chunk) => echoed.push(chunk);
          // Random slices, so reads and writes split the stream anywhere.
          for (let at = 0; at < payload.length; ) {
            const size = 1 + ((payload[at]! * 31 + at) % 8192);
            await c.push(payload.subarray(at, at + size), 5000);
            at += size;
          }
          await c.until(() => c.received >= payload.length, 5000);
          if (Buffer.concat(echoed).equals(payload)) exact++;
          c.destroy();
        });
        return {
          ok: exact === connections,
          figure: `${connections} connections × ${size(perConnection)} of random bytes in random slices: ${exact} echoed byte-exact`,
        };
      },
    },
    {
      name: 'connect/close cycles',
      fast: true,
      async run({ fast }) {
        const { port, cli } = await servers.echoServer();
        const cycles = fast ? 1000 : 20_000;
        const fdsBefore = cli.openFds();
        const rssBefore = await cli.rssAfterGc();
        let failed = 0;
        const started = performance.now();
        await inBatches(cycles, 50, async () => {
          const c = await CountingClient.open(port).catch(() => null);
          if (!c) {
            failed++;
            return;
          }
          c.socket.end('x\n');
          if (!(await c.until(() => c.ended && c.received === 2, 3000))) failed++;
          c.destroy();
        });
        const rate = cycles / ((performance.now() - started) / 1000);
        const fdsAfter = await settledFds(() => cli.openFds(), fdsBefore + FD_SLACK);
        const rssAfter = await cli.rssAfterGc();
        return {
          ok: failed === 0 && fdsAfter <= fdsBefore + FD_SLACK && rssAfter - rssBefore < RSS_BUDGET,
          figure: `${count(cycles)} cycles at ${count(Math.round(rate))}/s, ${failed} failed: server fds ${fdsBefore} → ${fdsAfter}, rss after gc ${size(rssBefore)} → ${size(rssAfter)}`,
        };
      },
    },
  ];
}
