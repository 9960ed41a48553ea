/**
 * Cuts a byte stream into NDJSON lines of at most `maxBytes` each (the newline excluded). A line is
 * decoded only once it is complete, so a character split across chunks is never broken. Past the bound
 * nothing more is buffered: the splitter reports `oversized` and stays so (the caller closes).
 */
export class NdjsonLines {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(private readonly maxBytes: number) {}

  /**
   * The complete lines in `chunk` (with what came before it); `oversized` once a line passed the bound
   * (the lines before that one are still returned).
   */
  push(chunk: Buffer): { lines: string[]; oversized: boolean } {
    const lines: string[] = [];
    if (this.overflowed) return { lines, oversized: true };
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.pendingBytes + (nl - start) > this.maxBytes) return this.overflow(lines);
      const part = chunk.subarray(start, nl);
      const line = this.pendingBytes === 0 ? part : Buffer.concat([...this.pending, part]);
      this.pending = [];
      this.pendingBytes = 0;
      lines.push(stripCarriageReturn(line.toString('utf8')));
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (this.pendingBytes + (chunk.length - start) > this.maxBytes) return this.overflow(lines);
      // A copy: the socket may reuse its buffer.
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingBytes += chunk.length - start;
    }
    return { lines, oversized: false };
  }

  private overflow(lines: string[]): { lines: string[]; oversized: true } {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    return { lines, oversized: true };
  }
}

/** `\r\n` endings are accepted too (a probe on Windows, or a line typed into nc). */
function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
