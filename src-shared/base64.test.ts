import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ByteLength, base64ToBytes, bytesToBase64 } from './base64';

describe('base64', () => {
  it('round-trips any bytes and knows their length from the text alone', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100_000 }), (bytes) => {
        const b64 = bytesToBase64(bytes);
        expect(b64).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect([...base64ToBytes(b64)]).toEqual([...bytes]);
        expect(base64ByteLength(b64)).toBe(bytes.length);
      }),
      { numRuns: 60 },
    );
  });

  it('matches the standard alphabet and padding', () => {
    expect(bytesToBase64(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x0a]))).toBe('3q2+7wo=');
    expect(bytesToBase64(new TextEncoder().encode('hi'))).toBe('aGk=');
  });

  it('decodes malformed input to nothing', () => {
    expect(base64ToBytes('%%%').length).toBe(0);
  });
});
