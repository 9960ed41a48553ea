import type { LatencyFigures } from '../../src-shared/load/load-contract';
import { formatCount } from './quantity';

/** A round trip's time: two decimals under a millisecond (loopback echoes often take 0.1 to 0.5 ms). */
export function formatLatency(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${formatCount(Math.round(ms))} ms`;
}

/** One percentile of figures that may not exist yet ("–" until an echo was timed). */
export function formatPercentile(figures: LatencyFigures | null, key: keyof LatencyFigures): string {
  return figures ? formatLatency(figures[key]) : '–';
}

/** A fraction as a percentage: 0.05 → "5%", 0.125 → "12.5%". */
export function formatFraction(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** "3 of 10": a part of a planned whole. */
export function formatOf(part: number, whole: number): string {
  return `${formatCount(part)} of ${formatCount(whole)}`;
}

/** "1,000/1,000": the same, compact, for a figure cell. */
export function formatShortOf(part: number, whole: number): string {
  return `${formatCount(part)}/${formatCount(whole)}`;
}
