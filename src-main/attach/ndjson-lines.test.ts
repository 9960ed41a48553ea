import { describe, expect, it } from 'vitest';
import { NdjsonLines } from './ndjson-lines';

describe('NdjsonLines', () => {
  it('joins lines split across chunks, characters included, and accepts \\r\\n', () => {
    const lines = new NdjsonLines(64);
    const text = Buffer.from('{"a":"é"}\r\n{"b":2}\n{"c"', 'utf8');
    const cut = text.indexOf(0xc3) + 1; // inside the two bytes of é
    expect(lines.push(text.subarray(0, cut))).toEqual({ lines: [], oversized: false });
    expect(lines.push(text.subarray(cut))).toEqual({ lines: ['{"a":"é"}', '{"b":2}'], oversized: false });
    expect(lines.push(Buffer.from(':3}\n'))).toEqual({ lines: ['{"c":3}'], oversized: false });
  });

  it('takes a line of exactly the bound and refuses one byte more, keeping the lines before it', () => {
    const lines = new NdjsonLines(8);
    expect(lines.push(Buffer.from('12345678\n'))).toEqual({ lines: ['12345678'], oversized: false });
    expect(lines.push(Buffer.from('ok\n1234'))).toEqual({ lines: ['ok'], oversized: false });
    expect(lines.push(Buffer.from('56789'))).toEqual({ lines: [], oversized: true });
    expect(lines.push(Buffer.from('\nlater\n'))).toEqual({ lines: [], oversized: true });
  });
});
