import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRecordingFile } from '../recording/recording-file';
import { parseRecordOption } from './record-option';
import { parseServeOptions } from './serve-options';
import { UsageError } from './strict-options';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-record-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--record options', () => {
  it('takes a file and an optional limit in MiB', () => {
    expect(parseServeOptions(['--record', 'x.ndjson']).record).toEqual({
      path: resolve('x.ndjson'),
      limitBytes: 100 * 1024 * 1024,
    });
    expect(parseRecordOption('x.ndjson', '0.5')?.limitBytes).toBe(512 * 1024);
    expect(parseServeOptions([]).record).toBeNull();
  });

  it('refuses a limit without a file, a bad limit and an empty name, in one line', () => {
    expect(() => parseRecordOption(undefined, '5')).toThrow(
      new UsageError('--record-limit needs --record FILE'),
    );
    expect(() => parseRecordOption('x', 'lots')).toThrow(/--record-limit must be a number of MiB/);
    expect(() => parseRecordOption('x', '0')).toThrow(/--record-limit/);
    expect(() => parseRecordOption('x', '5000')).toThrow(/--record-limit/);
    expect(() => parseRecordOption(' ', undefined)).toThrow(/needs a file name/);
  });
});

interface Served {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

async function serve(args: string[]): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/cli/main.ts', 'serve', '--port', '0', ...args],
    {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setInterval(() => {
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (match) {
        clearInterval(timer);
        resolvePort(Number(match[1]));
      }
    }, 20);
    void exit.then(() => {
      clearInterval(timer);
      reject(new Error(`serve exited early: ${out}${err}`));
    });
  }).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  started.push(child);
  return { child, port, stdout: () => out, stderr: () => err, exit };
}

/** Clients that echo continuously (a line every few ms each), so the recorder is always writing. */
function busyClients(port: number, count: number): Socket[] {
  return Array.from({ length: count }, (_, i) => {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.on('data', () => {});
    const timer = setInterval(() => s.write(`client ${i} ${'x'.repeat(200)}\n`), 2);
    s.on('close', () => clearInterval(timer));
    return s;
  });
}

/** Every child a test started is killed after it, whatever the test did. */
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('echoscope serve --record', () => {
  it('survives being killed: every line complete or absent, and the file reads back', async () => {
    const path = join(dir, 'killed.ndjson');
    const served = await serve(['--record', path]);
    const clients = busyClients(served.port, 20);
    await new Promise((r) => setTimeout(r, 700));
    served.child.kill('SIGKILL');
    await served.exit;
    for (const c of clients) c.destroy();
    const read = await readRecordingFile(path);
    if (!read.ok) throw new Error(read.error.message);
    expect(read.recording.ending).toBeNull();
    expect(read.recording.events.length).toBeGreaterThan(20);
    expect(read.recording.events[0]?.kind).toBe('listening');
    // At most the line being written at the kill is torn, and it is named, not fatal.
    expect(read.recording.problemCount).toBeLessThanOrEqual(1);
    for (const p of read.recording.problems) expect(p.message).toMatch(/is incomplete/);
  });

  it('ends the file with a notice on SIGINT and says what it holds', async () => {
    const path = join(dir, 'stopped.ndjson');
    const served = await serve(['--record', path]);
    const clients = busyClients(served.port, 3);
    await new Promise((r) => setTimeout(r, 200));
    served.child.kill('SIGINT');
    expect(await served.exit).toBe(0);
    for (const c of clients) c.destroy();
    const read = await readRecordingFile(path);
    if (!read.ok) throw new Error(read.error.message);
    expect(read.recording.ending?.notice).toBe('end');
    expect(read.recording.events.at(-1)?.kind).toBe('stopped');
    expect(read.recording.header.settings?.port).toBe(0);
    // Recording starts before listening: no run to carry in the header, the `listening` event is the first line.
    expect(read.recording.header.runAtStart).toBeUndefined();
    expect(read.recording.events[0]?.kind).toBe('listening');
    expect(served.stdout()).toContain(`Recorded ${read.recording.events.length} events to ${path}`);
  });

  it('refuses to overwrite a file: one line, exit code 2', async () => {
    const path = join(dir, 'existing.ndjson');
    await writeFile(path, 'keep me\n');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/main.ts', 'serve', '--port', '0', '--record', path],
      { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toBe(
      `echoscope serve: ${path} already exists: choose another file (a recording is never overwritten)\n`,
    );
  });
});
