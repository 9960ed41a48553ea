import type { MatchMode } from '../../src-shared/events';

/** Finds the crash word in a byte stream; `feed` returns the offset where the crash line starts, or -1. */
export interface CrashDetector {
  feed(chunk: Buffer): number;
  /**
   * `feed` for `reads`, consecutive reads of `size` bytes each (received at once), without feeding them
   * one by one: the offset in `reads` where feeding them one at a time would stop (the read the crash
   * is found in, plus the offset `feed` returns there), or -1.
   */
  feedReads(reads: Buffer, size: number): number;
}

const LF = 0x0a;
const CR = 0x0d;
const DEAD = -1;
/**
 * Whole lines of a chunk visited one by one before the rest is searched for the word: enough for the
 * article's recv(1024) of most line protocols, and at most a few hundred nanoseconds before a chunk of
 * many short lines falls back to the word search.
 */
export const LINE_STEPS = 8;

/**
 * Line mode: a line (ended by `\n`, optional `\r` before it) equal to the word triggers, however the
 * line is split across reads and wherever it sits in a chunk. What is carried from one chunk to the
 * next is one number, how far the current line still matches the word, so a connection costs no buffer
 * and a huge line no memory.
 */
export class LineCrashDetector implements CrashDetector {
  private readonly word: Buffer;
  /**
   * How the current line so far compares with the word: n <= word.length bytes match its first n,
   * word.length + 1 means the word then `\r`, DEAD that the line can no longer equal it.
   */
  private matched = 0;

  /** `word` may be shared between detectors as a Buffer: it is only read. */
  constructor(word: string | Buffer) {
    this.word = typeof word === 'string' ? Buffer.from(word, 'utf8') : word;
  }

  feed(chunk: Buffer): number {
    // Only native scans (indexOf) touch the bytes, so bulk data costs no JS step per byte.
    const firstNewline = chunk.indexOf(LF);
    if (firstNewline === -1) {
      this.extendLine(chunk, 0, chunk.length);
      return -1;
    }
    // The line carried over from earlier chunks (or starting this one) ends at the first newline.
    this.extendLine(chunk, 0, firstNewline);
    if (this.lineMatches()) return 0;
    this.matched = 0;
    // The usual chunk of a line protocol: exactly one line, ending with the chunk.
    if (firstNewline === chunk.length - 1) return -1;
    // The first few whole lines are visited one by one: a newline search from an offset is a fast native
    // call, several times cheaper than a search for the word, and a chunk of a few lines needs no more.
    let lineStart = firstNewline + 1;
    for (let steps = 0; steps < LINE_STEPS; steps++) {
      const end = chunk.indexOf(LF, lineStart);
      if (end === -1) {
        this.extendLine(chunk, lineStart, chunk.length);
        return -1;
      }
      if (this.isWord(chunk, lineStart, end)) return lineStart;
      lineStart = end + 1;
    }
    // Many lines: a line wholly inside this chunk can only match where the word itself occurs.
    const lastNewline = chunk.lastIndexOf(LF);
    for (
      let at = chunk.indexOf(this.word, lineStart);
      at !== -1 && at < lastNewline;
      at = chunk.indexOf(this.word, at + 1)
    ) {
      if (chunk[at - 1] !== LF) continue;
      const after = at + this.word.length;
      if (chunk[after] === LF || (chunk[after] === CR && chunk[after + 1] === LF)) return at;
    }
    // The unfinished last line is carried into the next chunk.
    this.extendLine(chunk, lastNewline + 1, chunk.length);
    return -1;
  }

  feedReads(reads: Buffer, size: number): number {
    const lineStart = this.feed(reads);
    if (lineStart === -1) return -1;
    // The crash is found in the read holding the line's `\n`; a line begun in an earlier read has had
    // its first bytes echoed by then, so that read's start is where the echo stops.
    const newline = reads.indexOf(LF, lineStart);
    return Math.max(lineStart, newline - (newline % size));
  }

  /** Whether `chunk[start, end)`, a whole line without its `\n`, is the word (a `\r` may end it). */
  private isWord(chunk: Buffer, start: number, end: number): boolean {
    const { word } = this;
    const length = end > start && chunk[end - 1] === CR ? end - 1 - start : end - start;
    if (length !== word.length) return false;
    for (let i = 0; i < length; i++) if (chunk[start + i] !== word[i]) return false;
    return true;
  }

  /** Advances the comparison over `chunk[start, end)`: at most word.length + 2 bytes are looked at. */
  private extendLine(chunk: Buffer, start: number, end: number): void {
    const { word } = this;
    let matched = this.matched;
    for (let i = start; i < end && matched !== DEAD; i++) {
      const byte = chunk[i]!;
      if (matched < word.length) matched = byte === word[matched] ? matched + 1 : DEAD;
      else matched = matched === word.length && byte === CR ? matched + 1 : DEAD;
    }
    this.matched = matched;
  }

  private lineMatches(): boolean {
    return this.matched === this.word.length || this.matched === this.word.length + 1;
  }
}

/** Exact mode, the article literally: a single read equal to `<word>\r\n`. */
export class ExactCrashDetector implements CrashDetector {
  private readonly needle: Buffer;
  /** `needle` may be shared between detectors as a Buffer (`<word>\r\n`): it is only read. */
  constructor(word: string | { needle: Buffer }) {
    this.needle = typeof word === 'string' ? Buffer.from(`${word}\r\n`, 'utf8') : word.needle;
  }
  feed(chunk: Buffer): number {
    return chunk.equals(this.needle) ? 0 : -1;
  }
  feedReads(reads: Buffer, size: number): number {
    // Only a read as long as the needle can equal it.
    if (size !== this.needle.length) return -1;
    for (let at = 0; at < reads.length; at += size)
      if (reads.subarray(at, at + size).equals(this.needle)) return at;
    return -1;
  }
}

/** Makes one detector per connection; the word's bytes are encoded once and shared. */
export function crashDetectorFactory(word: string, mode: MatchMode): () => CrashDetector {
  if (mode === 'exact') {
    const shared = { needle: Buffer.from(`${word}\r\n`, 'utf8') };
    return () => new ExactCrashDetector(shared);
  }
  const bytes = Buffer.from(word, 'utf8');
  return () => new LineCrashDetector(bytes);
}
