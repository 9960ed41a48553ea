import type { MatchMode } from '../../src-shared/events';

/** Finds the crash word in a byte stream; `feed` returns the offset where the crash line starts, or -1. */
export interface CrashDetector {
  feed(chunk: Buffer): number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Line mode: a line (ended by `\n`, optional `\r` before it) equal to the word triggers, however the
 * line is split across reads and wherever it sits in a chunk. Memory stays bounded on huge lines:
 * only `word.length + 1` bytes of the current line are ever kept.
 */
export class LineCrashDetector implements CrashDetector {
  private readonly word: Buffer;
  private readonly line: Buffer;
  private lineLength = 0;
  /** The current line is already longer than the word could be. */
  private overflow = false;

  constructor(word: string) {
    this.word = Buffer.from(word, 'utf8');
    this.line = Buffer.alloc(this.word.length + 1);
  }

  feed(chunk: Buffer): number {
    // Only native scans (indexOf) touch the bytes, so bulk data costs no JS step per byte or per line.
    const firstNewline = chunk.indexOf(LF);
    if (firstNewline === -1) {
      this.extendLine(chunk, 0, chunk.length);
      return -1;
    }
    // The line carried over from earlier chunks (or starting this one) ends at the first newline.
    this.extendLine(chunk, 0, firstNewline);
    if (!this.overflow && this.lineMatches()) return 0;
    // The usual chunk of a line protocol: exactly one line, ending with the chunk.
    if (firstNewline === chunk.length - 1) {
      this.lineLength = 0;
      this.overflow = false;
      return -1;
    }
    // A line wholly inside this chunk can only match where the word itself occurs.
    const lastNewline = chunk.lastIndexOf(LF);
    for (
      let at = chunk.indexOf(this.word, firstNewline + 1);
      at !== -1 && at < lastNewline;
      at = chunk.indexOf(this.word, at + 1)
    ) {
      if (chunk[at - 1] !== LF) continue;
      const after = at + this.word.length;
      if (chunk[after] === LF || (chunk[after] === CR && chunk[after + 1] === LF)) return at;
    }
    // The unfinished last line is carried into the next chunk.
    this.lineLength = 0;
    this.overflow = false;
    this.extendLine(chunk, lastNewline + 1, chunk.length);
    return -1;
  }

  /** Appends to the current line, keeping at most what could still equal the word. */
  private extendLine(chunk: Buffer, start: number, end: number): void {
    if (this.overflow) return;
    if (this.lineLength + end - start > this.line.length) this.overflow = true;
    else this.lineLength += chunk.copy(this.line, this.lineLength, start, end);
  }

  private lineMatches(): boolean {
    let len = this.lineLength;
    if (len > 0 && this.line[len - 1] === CR) len--;
    return len === this.word.length && this.line.compare(this.word, 0, len, 0, len) === 0;
  }
}

/** Exact mode, the article literally: a single read equal to `<word>\r\n`. */
export class ExactCrashDetector implements CrashDetector {
  private readonly needle: Buffer;
  constructor(word: string) {
    this.needle = Buffer.from(`${word}\r\n`, 'utf8');
  }
  feed(chunk: Buffer): number {
    return chunk.equals(this.needle) ? 0 : -1;
  }
}

export function createCrashDetector(word: string, mode: MatchMode): CrashDetector {
  return mode === 'exact' ? new ExactCrashDetector(word) : new LineCrashDetector(word);
}
