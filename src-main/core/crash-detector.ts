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
    // Bytes of the current line that arrived in earlier chunks: the crash line may start before this chunk.
    let lineStartInChunk = -this.lineLength;
    let pos = 0;
    while (pos < chunk.length) {
      // indexOf runs natively, so bulk data costs one scan per line, not a JS step per byte.
      const newline = chunk.indexOf(LF, pos);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.overflow) {
        if (this.lineLength + end - pos > this.line.length) this.overflow = true;
        else this.lineLength += chunk.copy(this.line, this.lineLength, pos, end);
      }
      if (newline === -1) break;
      if (!this.overflow && this.lineMatches()) return Math.max(0, lineStartInChunk);
      this.lineLength = 0;
      this.overflow = false;
      lineStartInChunk = newline + 1;
      pos = newline + 1;
    }
    return -1;
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
