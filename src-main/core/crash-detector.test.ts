import { describe, expect, it } from 'vitest';
import { ExactCrashDetector, LineCrashDetector } from './crash-detector';

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
