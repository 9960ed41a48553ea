import type { LatencyFigures } from '../../src-shared/load/load-contract';

/** Sub-buckets per power of two: each bucket is at most 1/32 (about 3%) of its value wide. */
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
/** Values below this (in microseconds) get a bucket each. */
const LINEAR = SUB * 2;
/** Values are clamped to 2^31 - 1 µs (about 36 minutes). */
const BUCKETS = LINEAR + (31 - (SUB_BITS + 1)) * SUB;

function bucketOf(us: number): number {
  const v = Math.min(0x7fffffff, Math.max(0, Math.round(us)));
  if (v < LINEAR) return v;
  const exponent = 31 - Math.clz32(v);
  const sub = v >>> (exponent - SUB_BITS);
  return LINEAR + (exponent - SUB_BITS - 1) * SUB + (sub - SUB);
}

/** The middle of a bucket, in microseconds. */
function bucketMiddle(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const exponent = Math.floor((bucket - LINEAR) / SUB) + SUB_BITS + 1;
  const sub = ((bucket - LINEAR) % SUB) + SUB;
  const low = sub * 2 ** (exponent - SUB_BITS);
  return low + 2 ** (exponent - SUB_BITS) / 2;
}

/**
 * Round-trip latencies in fixed memory: log-linear buckets (about 3% wide) from 1 µs to half an hour,
 * with exact count, mean and maximum. Percentiles are read from the buckets.
 */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  private sumUs = 0;
  private maxUs = 0;

  record(ms: number): void {
    const us = ms * 1000;
    this.counts[bucketOf(us)]!++;
    this.count++;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** The latency below which a fraction `q` of the samples fall, in milliseconds. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return Math.min(bucketMiddle(b), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  figures(): LatencyFigures | null {
    if (this.count === 0) return null;
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    return {
      p50: round(this.percentile(0.5)),
      p90: round(this.percentile(0.9)),
      p99: round(this.percentile(0.99)),
      max: round(this.maxUs / 1000),
      mean: round(this.sumUs / this.count / 1000),
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sumUs = 0;
    this.maxUs = 0;
  }
}
