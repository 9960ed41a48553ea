import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleStream } from './console-output';

interface Pair {
  /** The writing end, as stdout is for the CLI. */
  writer: Socket;
  /** The reading end (the `| head` or `| sleep` of a pipeline), paused until a test reads. */
  reader: Socket;
  server: Server;
}

const pairs: Pair[] = [];

async function socketPair(): Promise<Pair> {
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const writer = connect(port, '127.0.0.1');
  await new Promise((r) => writer.once('connect', r));
  const pair = { writer, reader: await accepted, server };
  pairs.push(pair);
  return pair;
}

function readAll(reader: Socket): { text: () => string } {
  let text = '';
  reader.setEncoding('utf8');
  reader.on('data', (chunk: string) => {
    text += chunk;
  });
  reader.resume();
  return { text: () => text };
}

async function until(probe: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(() => {
  for (const { writer, reader, server } of pairs.splice(0)) {
    writer.destroy();
    reader.destroy();
    server.close();
  }
});

describe('ConsoleStream', () => {
  it('writes lines in order while the reader keeps up', async () => {
    const { writer, reader } = await socketPair();
    const read = readAll(reader);
    const out = new ConsoleStream(writer);
    for (let i = 0; i < 100; i++) out.line(`line ${i}`);
    await out.flush(2000);
    await until(() => read.text().endsWith('line 99\n'), 'every line');
    expect(read.text().split('\n').slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(read.text()).not.toContain('not shown');
  });

  it('holds at most its budget for a stalled reader, then shows what it kept and counts the rest', async () => {
    const { writer, reader } = await socketPair();
    const losses: string[] = [];
    const out = new ConsoleStream(writer, { maxQueuedBytes: 64 * 1024, reportLoss: (n) => losses.push(n) });
    const line = 'x'.repeat(99);
    const written = 100_000;
    // 10 MB offered to a reader that reads nothing: kernel buffers plus the budget take a small part.
    for (let i = 0; i < written; i++) out.line(line);
    expect(writer.writableLength).toBeLessThan(64 * 1024 + writer.writableHighWaterMark + 100);
    expect(losses).toEqual([]);

    const read = readAll(reader);
    await until(() => losses.length === 1, 'the loss report once the reader drained the stream');
    out.line('after');
    await until(() => read.text().endsWith('after\n'), 'the next line');
    const shown = read
      .text()
      .split('\n')
      .filter((l) => l === line).length;
    const lost = Number(/^\((\d+) lines not shown: output was too slow\)$/.exec(losses[0] ?? '')?.[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown + lost).toBe(written);
    // Nothing was torn: every line that arrived is whole.
    expect(
      read
        .text()
        .split('\n')
        .filter((l) => l !== line),
    ).toEqual(['after', '']);
  });

  it('reports its own losses in-stream by default, after what it kept', async () => {
    const { writer, reader } = await socketPair();
    const out = new ConsoleStream(writer, { maxQueuedBytes: 1024 });
    // More than the kernel's socket buffers take (small writes go straight to them while they can).
    for (let i = 0; i < 100_000; i++) out.line(`entry ${i} ${'e'.repeat(90)}`);
    const read = readAll(reader);
    await until(() => /lines not shown/.test(read.text()), 'the in-stream loss report');
    const lines = read.text().trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^\(\d+ lines not shown: output was too slow\)$/);
  });

  it('ends output on a broken pipe without throwing, tells its listener once, and ignores later lines', async () => {
    const { writer, reader } = await socketPair();
    const out = new ConsoleStream(writer);
    const failures: string[] = [];
    out.onBroken((e) => failures.push((e as NodeJS.ErrnoException).code ?? e.message));
    // The reader goes away with data unread, as `head -1` exits: further writes fail (EPIPE or reset).
    reader.resetAndDestroy();
    await until(() => {
      out.line('y'.repeat(1000));
      return out.broken;
    }, 'the write error');
    for (let i = 0; i < 1000; i++) out.line('ignored');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/EPIPE|ECONNRESET|closed/);
    await out.flush(1000);
    const late: string[] = [];
    out.onBroken((e) => late.push(e.message));
    expect(late).toHaveLength(1);
  });

  it('flush gives up after its timeout when the reader never reads', async () => {
    const { writer } = await socketPair();
    const out = new ConsoleStream(writer, { maxQueuedBytes: 1024 });
    for (let i = 0; i < 100_000; i++) out.line('z'.repeat(99));
    const started = Date.now();
    await out.flush(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
