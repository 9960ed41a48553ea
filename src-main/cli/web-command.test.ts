import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestClient } from '../web/test-client';
import { runWebCommand } from './web-command';

let dir: string;
let entry: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-web-cli-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Echoscope</title>');
  entry = join(dir, 'run-web.ts');
  await writeFile(
    entry,
    `import { runWebCommand } from ${JSON.stringify(resolve(__dirname, 'web-command'))};\n` +
      'runWebCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function quietly<T>(run: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return run().finally(() => spy.mockRestore());
}

describe('echoscope web options', () => {
  it('exits 2 with one line on bad options', async () => {
    expect(await quietly(() => runWebCommand(['--bogus']))).toBe(2);
    expect(await quietly(() => runWebCommand(['--port', 'eighty']))).toBe(2);
    expect(await quietly(() => runWebCommand(['--port', '70000']))).toBe(2);
    expect(await quietly(() => runWebCommand(['--host', 'not a host']))).toBe(2);
    expect(await quietly(() => runWebCommand(['--renderer-dir', join(dir, 'missing')]))).toBe(2);
    expect(await quietly(() => runWebCommand(['--attach-port', '70000']))).toBe(2);
    expect(await quietly(() => runWebCommand(['--attach-host', '127.0.0.1']))).toBe(2);
  });

  it('says the port range for a negative port, not that the argument is ambiguous', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const code = await runWebCommand(['--port', '-1']).finally(() => spy.mockRestore());
    expect(code).toBe(2);
    expect(lines.join('')).toMatch(/^echoscope web: Port must be a whole number from 0 to 65535, got -1 /);
  });

  it('exits 2 when the port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const code = await runWebCommand(['--port', String(port), '--renderer-dir', dir]).finally(() =>
      spy.mockRestore(),
    );
    blocker.close();
    expect(code).toBe(2);
    expect(lines.join('')).toBe(`echoscope web: Port ${port} is already in use\n`);
  });
});

describe('echoscope web process', () => {
  function startChild(args: string[]): {
    child: ChildProcess;
    url: Promise<string>;
    exit: Promise<number | null>;
    /** Everything the child printed on stdout so far. */
    output: () => string;
  } {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = new Promise<string>((resolveUrl, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /Echoscope dashboard: (\S+)/.exec(output);
        if (match?.[1]) resolveUrl(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, url, exit, output: () => output };
  }

  it('prints the URL, serves the page, and exits 0 on SIGINT', async () => {
    const { child, url, exit } = startChild(['--port', '0', '--renderer-dir', dir]);
    const address = await url;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    const page = await fetch(address);
    expect(page.status).toBe(200);
    expect((await fetch(address.replace(/\?token=.*/, ''))).status).toBe(403);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('with --attach-port prints the exact probe command, carrying the page token', async () => {
    const {
      child,
      url,
      exit,
      output: printed,
    } = startChild(['--port', '0', '--renderer-dir', dir, '--attach-port', '0']);
    const address = new URL(await url);
    // The command may come in the same chunk as the URL: read all that was printed, not later chunks only.
    let command: string | undefined;
    for (const deadline = Date.now() + 20_000; !command && Date.now() < deadline; ) {
      command = /^ {2}(PYTHONPATH=.*)$/m.exec(printed())?.[1];
      if (!command) await new Promise((r) => setTimeout(r, 25));
    }
    const output = printed();
    const token = address.searchParams.get('token');
    expect(command).toMatch(
      new RegExp(
        `^PYTHONPATH=/\\S+/probe python3 -m echoscope_probe --to 127\\.0\\.0\\.1:\\d+ --token ${token} your_server\\.py$`,
      ),
    );
    expect(output).toMatch(
      /Python probes attach at 127\.0\.0\.1:\d+\. Run your asyncio program under the probe:/,
    );
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    // A child process compiled by tsx: under a loaded machine its start alone can take most of 20 s.
  }, 45_000);

  it('stops gracefully, exit code 0, when its stdout is closed (`web | head -1`)', async () => {
    const { child, url, exit } = startChild(['--port', '0', '--renderer-dir', dir]);
    const address = new URL(await url);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout?.destroy();
    // Its next line meets the closed pipe: the second startup line if it was not written yet, else the
    // banner of an echo server started through the dashboard's socket.
    const wsUrl = `ws://${address.host}/ws?token=${address.searchParams.get('token')}`;
    const client = await TestClient.open(wsUrl, address.origin).catch(() => null);
    // The stop may close this socket before the reply arrives.
    client?.ws.on('error', () => {});
    void client?.command('start', { port: 0 }).catch(() => {});
    expect(await exit).toBe(0);
    expect(stderr).toContain('stdout was closed: stopping');
    expect(stderr).not.toMatch(/\n\s+at |EPIPE/);
  });
});
