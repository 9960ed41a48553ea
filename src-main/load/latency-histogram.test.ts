import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('reads percentiles within its bucket width (about 3%) of the exact ones', () => {
    const h = new LatencyHistogram();
    const samples = Array.from(
      { length: 10_000 },
      (_, i) => 0.05 + (i % 1000) * 0.037 + Math.floor(i / 1000) * 0.001,
    );
    for (const s of samples) h.record(s);
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      expect(Math.abs(h.percentile(q) - exact) / exact).toBeLessThan(0.035);
    }
    const f = h.figures()!;
    expect(f.max).toBeCloseTo(Math.max(...samples), 3);
    expect(f.mean).toBeCloseTo(samples.reduce((a, b) => a + b, 0) / samples.length, 2);
  });

  it('spans microseconds to minutes in fixed memory, and resets', () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(0.001);
    h.record(120_000);
    h.record(10_000_000);
    expect(h.count).toBe(4);
    expect(h.percentile(1)).toBeGreaterThan(1_000_000);
    expect(h.percentile(0.25)).toBeLessThan(0.002);
    h.reset();
    expect(h.figures()).toBeNull();
  });
});
