import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CrashDetector, ExactCrashDetector, LINE_STEPS, LineCrashDetector } from './crash-detector';

function feedAll(detector: { feed(b: Buffer): number }, parts: string[]): number[] {
  return parts.map((p) => detector.feed(Buffer.from(p)));
}

describe('LineCrashDetector', () => {
  it('triggers on a line equal to the word with \\n or \\r\\n', () => {
    expect(new LineCrashDetector('boom').feed(Buffer.from('boom\n'))).toBe(0);
    expect(new LineCrashDetector('boom').feed(Buffer.from('boom\r\n'))).toBe(0);
  });

  it('reports where the crash line starts inside a chunk', () => {
    expect(new LineCrashDetector('boom').feed(Buffer.from('hello\nboom\r\nrest'))).toBe(6);
  });

  it('triggers across reads, byte by byte', () => {
    const results = feedAll(new LineCrashDetector('boom'), ['b', 'o', 'o', 'm', '\r', '\n']);
    expect(results).toEqual([-1, -1, -1, -1, -1, 0]);
  });

  it('triggers for a line that began after earlier data in a previous chunk', () => {
    expect(feedAll(new LineCrashDetector('boom'), ['abc\nbo', 'om\n'])).toEqual([-1, 0]);
  });

  it('ignores longer lines, prefixes and lines with the word inside', () => {
    const d = new LineCrashDetector('boom');
    expect(feedAll(d, ['boomerang\n', 'kaboom\n', 'boo\n', 'boom!\n', ' boom\n', 'boomboom\n'])).toEqual([
      -1, -1, -1, -1, -1, -1,
    ]);
    expect(d.feed(Buffer.from('boom\n'))).toBe(0);
  });

  it('does not trigger without the line ending', () => {
    expect(new LineCrashDetector('boom').feed(Buffer.from('boom'))).toBe(-1);
  });

  it('recovers after a line far longer than the word', () => {
    const d = new LineCrashDetector('boom');
    expect(d.feed(Buffer.alloc(100_000, 'x'))).toBe(-1);
    expect(d.feed(Buffer.from('boom\n'))).toBe(-1);
    expect(d.feed(Buffer.from('boom\n'))).toBe(0);
  });

  it('handles multi-byte crash words', () => {
    expect(new LineCrashDetector('💥').feed(Buffer.from('💥\n'))).toBe(0);
  });
});

describe('ExactCrashDetector (the article: data == b"boom\\r\\n")', () => {
  it('triggers only on a read that is exactly the word and CRLF', () => {
    const d = new ExactCrashDetector('boom');
    expect(feedAll(d, ['boom\n', 'bo', 'om\r\n', 'x boom\r\n', 'boom\r\nx'])).toEqual([-1, -1, -1, -1, -1]);
    expect(d.feed(Buffer.from('boom\r\n'))).toBe(0);
  });
});

/** The obvious definition, on the whole stream at once: where the first line equal to the word ends. */
function referenceHit(chunks: Buffer[], word: string): { chunk: number; offset: number } | null {
  const all = Buffer.concat(chunks);
  let lineStart = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i] !== 0x0a) continue;
    let line = all.subarray(lineStart, i).toString('latin1');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === word) {
      let chunkStart = 0;
      for (let c = 0; c < chunks.length; c++) {
        if (i < chunkStart + chunks[c]!.length)
          return { chunk: c, offset: Math.max(0, lineStart - chunkStart) };
        chunkStart += chunks[c]!.length;
      }
    }
    lineStart = i + 1;
  }
  return null;
}

describe('LineCrashDetector against the reference definition', () => {
  // Short streams in small reads, and long ones in reads of many lines: these visit more lines than
  // LINE_STEPS one by one, then search the rest of the read for the word.
  it('agrees on 3,000 random streams split at random points', () => {
    const alphabet = [
      'b',
      'o',
      'm',
      '\r',
      '\n',
      '\n',
      'x',
      'boom',
      'boom\n',
      'boom\r',
      'boom\r\n',
      'boomerang\n',
    ];
    // xorshift32: deterministic, and unlike a plain LCG its low bits are not periodic.
    let seed = 0x9e3779b9;
    const random = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (let run = 0; run < 3000; run++) {
      const long = run % 3 === 2;
      const tokens = 1 + random(long ? 40 * LINE_STEPS : 24);
      const text = Array.from({ length: tokens }, () => alphabet[random(alphabet.length)]).join('');
      const bytes = Buffer.from(text, 'latin1');
      const chunks: Buffer[] = [];
      for (let pos = 0; pos < bytes.length; ) {
        const size = 1 + random(long ? 400 : run % 3 === 0 ? 6 : 48);
        chunks.push(bytes.subarray(pos, pos + size));
        pos += size;
      }
      const detector = new LineCrashDetector('boom');
      let hit: { chunk: number; offset: number } | null = null;
      for (let c = 0; c < chunks.length && !hit; c++) {
        const offset = detector.feed(chunks[c]!);
        if (offset >= 0) hit = { chunk: c, offset };
      }
      expect(hit, JSON.stringify(chunks.map((c) => c.toString('latin1')))).toEqual(
        referenceHit(chunks, 'boom'),
      );
    }
  });
});

/** Where feeding `reads` one read of `size` at a time stops: the read's start plus `feed`'s offset. */
function oneReadAtATime(detector: CrashDetector, reads: Buffer, size: number): number {
  for (let start = 0; start < reads.length; start += size) {
    const offset = detector.feed(reads.subarray(start, start + size));
    if (offset >= 0) return start + offset;
  }
  return -1;
}

describe('feedReads: several whole reads at once, as if fed one by one', () => {
  const token = fc.constantFrom('b', 'o', 'm', 'x', '\r', '\n', 'boom', 'boom\n', 'boom\r\n', 'boomerang\n');
  const text = (max: number) =>
    fc.array(token, { maxLength: max }).map((t) => Buffer.from(t.join(''), 'latin1'));

  it.each([
    ['line', () => new LineCrashDetector('boom')],
    ['exact', () => new ExactCrashDetector('boom')],
  ] as const)('%s mode finds the same read and offset, after any carried-over line', (_mode, make) => {
    fc.assert(
      fc.property(text(12), text(120), fc.integer({ min: 1, max: 24 }), (before, stream, size) => {
        const whole = stream.length - (stream.length % size);
        fc.pre(whole >= 2 * size);
        const reads = stream.subarray(0, whole);
        const [batched, stepped] = [make(), make()];
        // The same earlier read (a line may be carried over from it), unless it already crashed.
        fc.pre(batched.feed(before) === -1 && stepped.feed(before) === -1);
        expect(batched.feedReads(reads, size)).toBe(oneReadAtATime(stepped, reads, size));
      }),
      { numRuns: 3000 },
    );
  });

  it('stops where the crash line was found, not where it began, when it spans reads', () => {
    // Reads of 3: "x\nb" "oom" "\ny": the line begins in the first read and is found in the third,
    // after "b" and "oom" were echoed.
    expect(new LineCrashDetector('boom').feedReads(Buffer.from('x\nboom\nyz'), 3)).toBe(6);
  });
});
