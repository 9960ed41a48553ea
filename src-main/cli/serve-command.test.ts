import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackClient } from '../core/testing/loopback-client';

const MAIN = resolve(__dirname, 'main.ts');
const children: ChildProcess[] = [];

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function runCli(
  args: string[],
  { stdin = 'ignore', ...user }: { uid?: number; gid?: number; stdin?: 'ignore' | 'pipe' } = {},
): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: resolve(__dirname, '../..'),
    stdio: [stdin, 'pipe', 'pipe'],
    ...user,
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function listeningPort(cli: Cli): Promise<number> {
  return waitFor(() => {
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(cli.stdout());
    return m ? Number(m[1]) : undefined;
  }, 'the listening line');
}

/** Whether a user other than the owner can reach and read `file` (o+x on every parent, o+r on it). */
function readableByOthers(file: string): boolean {
  let path = file;
  if ((statSync(path).mode & 0o004) === 0) return false;
  while (path !== dirname(path)) {
    path = dirname(path);
    if ((statSync(path).mode & 0o001) === 0) return false;
  }
  return true;
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('echoscope serve', () => {
  it('logs connections and the crash, and on SIGINT cancels every task and exits 0', async () => {
    const cli = runCli(['serve', '--port', '0', '--policy', 'handled']);
    const port = await listeningPort(cli);
    const a = await LoopbackClient.open(port);
    const b = await LoopbackClient.open(port);
    const victim = await LoopbackClient.open(port);
    a.write('hi\n');
    await a.untilReceived(3);
    victim.write('boom\r\n');
    await victim.untilEnded();
    await waitFor(() => (cli.stderr().includes('ERROR task 3') ? true : undefined), 'the error line');
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    const out = cli.stdout();
    expect(out).toMatch(/Got a connection from 127\.0\.0\.1:\d+ \(task 1\)/);
    // The error log and its traceback go to stderr, as logging.exception's do in CPython.
    expect(cli.stderr()).toContain('ERROR task 3: Unexpected network error');
    expect(cli.stderr()).toMatch(/Error: Unexpected network error\n\s+at /);
    expect(out).not.toContain('Unexpected network error');
    expect(out).not.toContain('got data!');
    expect(out).toContain('Task 1 cancelled at await recv');
    expect(out).toContain('Task 2 cancelled at await recv');
    expect(out).toMatch(/Stopped: 2 tasks cancelled/);
    await Promise.all([a.untilEnded(), b.untilEnded()]);
  });

  it('prints the never-retrieved warning of a retained task at shutdown', async () => {
    const cli = runCli(['serve', '--port', '0', '--policy', 'retained']);
    const port = await listeningPort(cli);
    const victim = await LoopbackClient.open(port);
    victim.write('boom\n');
    await waitFor(() => (cli.stdout().includes('Task 1 raised') ? true : undefined), 'the failure line');
    expect(cli.stderr()).not.toContain('never retrieved');
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.stdout()).not.toContain('never retrieved');
    expect(cli.stderr()).toContain('Task exception was never retrieved (at shutdown)');
    expect(cli.stderr()).toContain(
      "future: <Task finished name='Task-1' coro=<echo()> exception=Error('Unexpected network error')>",
    );
    victim.destroy();
  });

  it('under the default settings, boom prints the never-retrieved warning on stderr and closes that client at once', async () => {
    const cli = runCli(['serve', '--port', '0']);
    const port = await listeningPort(cli);
    expect(cli.stdout()).toContain('policy unhandled');
    expect(cli.stdout()).toContain('collection cpython');
    const other = await LoopbackClient.open(port);
    const victim = await LoopbackClient.open(port);
    const sent = performance.now();
    victim.write('boom\n');
    await victim.untilEnded(2000);
    const latencyMs = performance.now() - sent;
    expect(latencyMs).toBeLessThan(500);
    expect(victim.error).toBeNull();
    await waitFor(() => (cli.stderr().includes('never retrieved') ? true : undefined), 'the warning');
    expect(cli.stderr()).toMatch(
      /^Task exception was never retrieved\nfuture: <Task finished name='Task-2' coro=<echo\(\)> exception=Error\('Unexpected network error'\)>\nError: Unexpected network error\n\s+at /m,
    );
    expect(cli.stdout()).not.toMatch(/^Task exception was never retrieved/m);
    other.write('still echoing\n');
    await other.untilReceived(14);
    expect(other.received.toString()).toBe('still echoing\n');
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    other.destroy();
  });

  it('--verbose prints got data! on stdout for each read, as the fixed listing does', async () => {
    const cli = runCli(['serve', '--port', '0', '--policy', 'handled', '--verbose']);
    const port = await listeningPort(cli);
    const c = await LoopbackClient.open(port);
    c.write('one\n');
    await c.untilReceived(4);
    c.write('two\n');
    await c.untilReceived(8);
    c.write('boom\n');
    await c.untilEnded();
    await waitFor(() => (cli.stderr().includes('ERROR task 1') ? true : undefined), 'the error log');
    await waitFor(
      () => (cli.stdout().match(/^got data! \(task 1\)$/gm)?.length === 3 ? true : undefined),
      'three got data! lines',
    );
    expect(cli.stderr()).not.toContain('got data!');
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    expect(cli.stdout().match(/got data!/g)).toHaveLength(3);
  });

  it('collects garbage on gc + Enter from a pipe, not only a terminal, and says what it did not understand', async () => {
    const cli = runCli(['serve', '--port', '0', '--collection', 'v8'], { stdin: 'pipe' });
    const port = await listeningPort(cli);
    expect(cli.stdout()).toContain('collection v8');
    const victim = await LoopbackClient.open(port);
    victim.write('boom\n');
    await waitFor(() => (cli.stdout().includes('Task 1 raised') ? true : undefined), 'the failure line');
    // Like V8: nothing until a collection.
    await new Promise((r) => setTimeout(r, 300));
    expect(victim.ended || victim.closed).toBe(false);
    expect(cli.stderr()).not.toContain('never retrieved');
    cli.child.stdin!.write('collect\ngc\n');
    await victim.untilEnded();
    await waitFor(() => (cli.stderr().includes('never retrieved') ? true : undefined), 'the warning');
    await waitFor(
      () => (cli.stdout().includes('Garbage collected: 1 failed task finalized') ? true : undefined),
      'the gc report',
    );
    expect(cli.stderr()).toContain('unknown input "collect": type gc and Enter to collect garbage now');
    // A stdin that ends leaves the server running.
    cli.child.stdin!.end();
    await new Promise((r) => setTimeout(r, 100));
    expect(cli.child.exitCode).toBeNull();
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('--json prints the event stream as NDJSON', async () => {
    const cli = runCli(['serve', '--port', '0', '--json']);
    const port = await waitFor(() => {
      const first = cli.stdout().split('\n')[0];
      if (!first) return undefined;
      return (JSON.parse(first) as { port: number }).port;
    }, 'the listening event');
    const c = await LoopbackClient.open(port);
    c.write('x\n');
    await c.untilReceived(2);
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    const events = cli
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; seq: number });
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['listening', 'accepted', 'received', 'echoed', 'cancelled', 'stopped']),
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    c.destroy();
  });

  it.each([
    [['serve', '--port', 'abc'], /--port must be a whole number/],
    [['serve', '--port', '70000'], /Port must be a whole number from 0 to 65535/],
    [['serve', '--port', '-1'], /Port must be a whole number from 0 to 65535, got -1/],
    [['serve', '--recv-size', '-5'], /recv size must be a whole number from 1 to 1048576/],
    [['serve', '--policy', 'yolo'], /Policy must be one of unhandled, retained, handled/],
    [['serve', '--collection', 'java'], /Collection must be one of cpython, v8/],
    [['serve', '--bogus'], /Unknown option '--bogus'/],
    [['serve', '--host', 'not a host'], /is not a valid host name/],
    [['explode'], /unknown command "explode"/],
  ])('rejects %j with one clear line and exit code 2', async (args, message) => {
    const cli = runCli(args);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).not.toMatch(/\n\s+at /);
  });

  it('warns on stderr when the echo server listens beyond loopback', async () => {
    const cli = runCli(['serve', '--port', '0', '--host', '0.0.0.0']);
    await waitFor(() => (/listening on 0\.0\.0\.0:\d+/.test(cli.stdout()) ? true : undefined), 'the banner');
    await waitFor(() => (cli.stderr().includes('Warning') ? true : undefined), 'the warning');
    expect(cli.stderr().trim()).toBe(
      'Warning: The echo server listens on every network interface (0.0.0.0): other machines can connect to it.',
    );
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
  });

  it('stops gracefully, exit code 0, when its stdout is closed (`serve | head -1`)', async () => {
    const cli = runCli(['serve', '--port', '0']);
    const port = await listeningPort(cli);
    // The reader goes away, as `head -1` does after its line; the next lines meet a closed pipe (EPIPE).
    cli.child.stdout!.destroy();
    const a = await LoopbackClient.open(port);
    const b = await LoopbackClient.open(port);
    expect(await cli.exit).toBe(0);
    expect(cli.stderr()).toContain('stdout was closed: stopping');
    expect(cli.stderr()).not.toMatch(/\n\s+at |EPIPE/);
    // The graceful stop cancelled both tasks at their await point: each client sees the server close.
    await Promise.all([a.untilEnded(), b.untilEnded()]);
  });

  it('keeps a stalled stdout bounded and says how many lines it could not show', async () => {
    const cli = runCli(['serve', '--port', '0', '--json']);
    const port = await waitFor(() => {
      const first = cli.stdout().split('\n')[0];
      return first ? (JSON.parse(first) as { port: number }).port : undefined;
    }, 'the listening event');
    // Nobody reads stdout for a while (`serve --json | sleep 600`): the pipe and the writer's queue fill.
    cli.child.stdout!.pause();
    for (let round = 0; round < 40; round++) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => LoopbackClient.open(port)));
      for (const c of batch) c.write(`${'x'.repeat(2000)}\n`);
      await Promise.all(batch.map((c) => c.untilReceived(2001)));
      for (const c of batch) c.destroy();
    }
    cli.child.stdout!.resume();
    await waitFor(() => (/\d+ lines not shown/.test(cli.stderr()) ? true : undefined), 'the loss report');
    expect(cli.stderr()).toMatch(/\(\d+ lines not shown: output was too slow\)/);
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
  });

  it('says the port is in use, in one line, exit code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const cli = runCli(['serve', '--port', String(port)]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr().trim()).toBe(`echoscope serve: Port ${port} is already in use`);
    blocker.close();
  });

  it('says a privileged port needs privileges, in one line, exit code 2', async (ctx) => {
    // As root every port is allowed, so run the CLI as an unprivileged user to see what users see.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !readableByOthers(MAIN)) {
      ctx.skip(
        `the checkout (${MAIN}) is not readable by an unprivileged user, so the CLI cannot be run as one`,
      );
    }
    const asUser = asRoot ? { uid: 65534, gid: 65534 } : {};
    const cli = runCli(['serve', '--port', '81'], asUser);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr().trim()).toMatch(/^echoscope serve: Port 81 needs elevated privileges/);
  });
});
