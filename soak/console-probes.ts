import { freePort } from '../src-main/core/testing/free-port';
import { TestClient } from '../src-main/web/test-client';
import { startCli } from './cli-process';
import { startEchoServer, startWebHostChild } from './fixtures';
import { change, count, type Probe, size } from './probe';
import { CountingClient, freshRoundTripMs, sleep } from './tcp-client';

/** What a crash looks like on stderr: a stack frame or the raw error. */
const CRASH = /\n\s+at |EPIPE|Unhandled/;
/**
 * What a reader that comes back may find waiting: the writer's 1 MiB queue, the stream's own buffer and
 * the pipe's. Without a bound it is everything printed while it was away.
 */
const BACKLOG_BUDGET = 2 * 1024 * 1024;
/**
 * Memory the server may hold after the churn and a collection. Mostly not the console's: the engine keeps
 * up to 20,000 ended tasks for snapshots (a few KB each).
 */
const HELD_BUDGET = 128 * 1024 * 1024;

/** Waits for the exit, or gives up (null) after `timeoutMs`. */
function exitWithin(exit: Promise<number | null>, timeoutMs: number): Promise<number | null | 'running'> {
  return Promise.race([exit, sleep(timeoutMs).then(() => 'running' as const)]);
}

export function consoleProbes(): Probe[] {
  return [
    {
      name: 'closed stdout: serve | head -1',
      fast: true,
      async run() {
        const { cli, port } = await startEchoServer();
        const started = performance.now();
        cli.child.stdout!.destroy();
        const clients = await Promise.all([CountingClient.open(port), CountingClient.open(port)]);
        const code = await exitWithin(cli.exit, 5000);
        const ms = Math.round(performance.now() - started);
        for (const c of clients) c.destroy();
        if (code === 'running') await cli.stop();
        const graceful =
          code === 0 && cli.stderr().includes('stdout was closed') && !CRASH.test(cli.stderr());
        return {
          ok: graceful,
          figure: `exit ${code} ${ms} ms after the reader left; stderr: ${JSON.stringify(cli.stderr().trim().slice(0, 80))}`,
        };
      },
    },
    {
      name: 'closed stdout: web | head -1',
      fast: true,
      async run() {
        const web = await startWebHostChild();
        web.cli.child.stdout!.destroy();
        // The next line it prints (an echo server's banner) meets the closed pipe, unless one already did.
        const client = await TestClient.open(web.wsUrl, web.origin).catch(() => null);
        client?.ws.on('error', () => {});
        void client?.command('start', { port: 0 }).catch(() => null);
        const code = await exitWithin(web.cli.exit, 5000);
        if (code === 'running') await web.cli.stop();
        const stderr = web.cli.stderr();
        return {
          ok: code === 0 && stderr.includes('stdout was closed') && !CRASH.test(stderr),
          figure: `exit ${code}; stderr: ${JSON.stringify(stderr.trim().slice(0, 80))}`,
        };
      },
    },
    {
      name: 'stalled stdout: serve --json | sleep',
      // Seconds of churn to overflow the queue; serve-command.test.ts checks the same in the unit tests.
      fast: false,
      async run({ fast }) {
        const port = await freePort();
        const cli = startCli(['serve', '--port', String(port), '--json'], { readStdout: false });
        // Nothing to read its port from: the JSON banner waits in the stalled pipe too.
        const deadline = Date.now() + 15_000;
        while ((await freshRoundTripMs(port).catch(() => null)) === null) {
          if (Date.now() > deadline) throw new Error(`serve did not start: ${cli.stderr()}`);
          await sleep(100);
        }
        const baseline = cli.rssBytes();
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, cli.rssBytes());
        }, 100);
        const seconds = fast ? 1 : 15;
        // Enough output to overflow the writer's 1 MiB queue (about 1 KB of NDJSON per connection), however
        // slow the machine, within a hard cap.
        const minimum = 3000;
        const started = Date.now();
        const until = started + seconds * 1000;
        const cap = started + 10_000 + seconds * 1000;
        let connections = 0;
        const churn = async (): Promise<void> => {
          while ((Date.now() < until || connections < minimum) && Date.now() < cap) {
            const c = await CountingClient.open(port);
            c.socket.end(`${'j'.repeat(300)}\n`);
            await c.until(() => c.ended, 3000);
            c.destroy();
            connections++;
          }
        };
        await Promise.all(Array.from({ length: 50 }, churn));
        clearInterval(sampler);
        // What stays after a collection is what the stalled output holds on to.
        const held = (await cli.rssAfterGc()) - baseline;
        // The reader comes back: what was kept arrives, then the count of what was not.
        let backlog = 0;
        let reported: RegExpExecArray | null = null;
        cli.child.stdout!.on('data', (d: Buffer) => {
          if (!reported) backlog += d.length;
        });
        cli.child.stdout!.resume();
        reported = await cli
          .waitFor(/\((\d+) lines not shown: output was too slow\)/, 'the loss report', 5000)
          .catch(() => null);
        await cli.stop();
        return {
          ok: reported !== null && backlog < BACKLOG_BUDGET && held < HELD_BUDGET,
          figure: `${count(connections)} connections in ${((Date.now() - started) / 1000).toFixed(1)} s with nobody reading: server rss ${size(baseline)}, peak ${size(peak)}, ${change(held)} held after gc; the reader came back to ${size(backlog)} and ${reported ? `"${reported[1]} lines not shown"` : 'no loss report'}`,
        };
      },
    },
  ];
}
