import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixtureText } from '../../src-shared/testing/recording-fixture';
import { traceFormatProblems } from '../../src-shared/testing/trace-event-format';
import { runTraceCommand } from './trace-command';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-trace-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    out += String(chunk);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
    err += String(chunk);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  });
  try {
    const code = await runTraceCommand(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('echoscope trace', () => {
  it('writes a valid trace next to the recording and says what it holds', async () => {
    const input = join(dir, 'session.ndjson');
    await writeFile(input, fixtureText());
    const { code, out, err } = await run([input]);
    expect(code).toBe(0);
    expect(err).toBe('');
    const output = join(dir, 'session.trace.json');
    expect(out).toMatch(
      new RegExp(
        `^Wrote ${output}: \\d+ trace events for 3 tasks from 22 recorded events \\(ended normally\\)\\.`,
      ),
    );
    expect(traceFormatProblems(JSON.parse(await readFile(output, 'utf8')))).toEqual([]);
  });

  it('names the lines it left out, and still writes the rest (-o)', async () => {
    const input = join(dir, 'damaged.ndjson');
    const lines = fixtureText().split('\n');
    lines[4] = '{"kind":"parked"';
    await writeFile(input, lines.join('\n'));
    const output = join(dir, 'out.json');
    const { code, err, out } = await run([input, '-o', output]);
    expect(code).toBe(0);
    expect(err).toBe('echoscope trace: Line 5 is not valid JSON (left out)\n');
    expect(out).toContain('1 bad lines left out');
    expect(traceFormatProblems(JSON.parse(await readFile(output, 'utf8')))).toEqual([]);
  });

  it('refuses what it cannot read with one line, exit 1; bad usage exits 2', async () => {
    const newer = join(dir, 'newer.ndjson');
    await writeFile(newer, fixtureText().replace('"version":1', '"version":9'));
    expect(await run([newer])).toMatchObject({
      code: 1,
      err: `echoscope trace: ${newer}: Line 1 was written by a newer Echoscope (recording format 9; this version reads format 1 and older)\n`,
    });
    expect(await run([join(dir, 'missing.ndjson')])).toMatchObject({
      code: 1,
      err: `echoscope trace: ${join(dir, 'missing.ndjson')} does not exist\n`,
    });
    expect((await run([])).code).toBe(2);
    expect((await run(['a', 'b'])).code).toBe(2);
    expect((await run([newer, '-o', newer])).err).toMatch(/would overwrite the recording/);
  });
});
