/** The UI benchmark's verdict table, statistics and results file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const RESULTS_DIR = resolve(__dirname, 'results');

/** One line of the verdict table; `pass` null means informational. */
export interface Figure {
  metric: string;
  value: string;
  target: string;
  pass: boolean | null;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function printFigures(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [
    f.metric,
    f.value,
    f.target,
    f.pass === null ? '' : f.pass ? 'PASS' : 'MISS',
  ]);
  const header = ['metric', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

export function writeResults(name: string, results: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = resolve(RESULTS_DIR, name);
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
