import { describe, expect, it, vi } from 'vitest';
import type { LoadSummary } from '../../src-shared/load/load-contract';
import { engineFixtures } from '../core/testing/engine-harness';
import { freePort } from '../core/testing/free-port';
import { parseLoadOptions, runLoadCommand } from './load-command';
import { UsageError } from './strict-options';

const { startEngine } = engineFixtures();

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const capture =
    (append: (text: string) => void) =>
    (chunk: unknown, ...rest: unknown[]) => {
      append(String(chunk));
      (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
      return true;
    };
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(
    capture((t) => {
      out += t;
    }),
  );
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(
    capture((t) => {
      err += t;
    }),
  );
  try {
    return { code: await runLoadCommand(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('echoscope load options', () => {
  it('maps flags onto the contract and checks them', () => {
    expect(
      parseLoadOptions(['--port', '9000', '--connections', '1000', '--crash-fraction', '0.05', '--json']),
    ).toEqual({
      json: true,
      options: expect.objectContaining({
        port: 9000,
        connections: 1000,
        crashFraction: 0.05,
        rate: 10,
        size: 64,
      }),
    });
    expect(() => parseLoadOptions(['--connections', 'many'])).toThrow(
      new UsageError('--connections must be a number, got "many"'),
    );
    expect(() => parseLoadOptions(['--connections', '50000'])).toThrow(
      /connections must be a whole number from 1 to 20000/,
    );
    expect(() => parseLoadOptions(['--bogus'])).toThrow(UsageError);
  });
});

describe('echoscope load', () => {
  it('prints a line a second and a summary; exit 0 when every echo matched', async () => {
    const { port } = await startEngine({ policy: 'handled' });
    const { code, out } = await run([
      '--port',
      String(port),
      '--connections',
      '20',
      '--rate',
      '20',
      '--duration',
      '1.2',
      '--crash-fraction',
      '0.1',
    ]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Load: 20 connections to 127.0.0.1:${port} over 0.3 s, 20 msg/s each of 64 B for 1.2 s; 10% (2) send "boom" (seed 1). Ctrl-C stops.`,
    );
    expect(lines.some((l) => /^\s+1\.\d s +\w+ +open +\d+ +rt\/s/.test(l))).toBe(true);
    expect(out).toMatch(/Summary \(ran its duration\): [\d,]+ round trips in 1\.2 s/);
    expect(out).toContain('errors 0; mismatches 0; crashes 2/2 (closed 2, dangling 0, echoed 0)');
  });

  it('--json prints only the summary on stdout, progress on stderr', async () => {
    const { port } = await startEngine({ policy: 'handled' });
    const { code, out, err } = await run([
      '--port',
      String(port),
      '--connections',
      '5',
      '--duration',
      '0.5',
      '--json',
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(out) as LoadSummary;
    expect(summary).toMatchObject({
      endedBy: 'duration',
      connections: { opened: 5 },
      mismatches: { count: 0 },
    });
    expect(err).toMatch(/^Load: 5 connections/);
  });

  it('exits 1 with the errors when nothing listens; 2 on bad usage', async () => {
    const port = await freePort();
    const { code, out } = await run(['--port', String(port), '--connections', '3', '--duration', '0.3']);
    expect(code).toBe(1);
    expect(out).toContain('errors 3 (ECONNREFUSED 3)');
    expect((await run(['--rate', '-5'])).code).toBe(2);
  });
});
