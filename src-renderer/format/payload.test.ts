import { describe, expect, it } from 'vitest';
import { bytesToHex, bytesToText, decodeBase64, previewText } from './payload';
import { formatBytes } from './quantity';
import { formatDuration, formatRunningFor } from './time';

describe('payload views', () => {
  it('shows line endings and control bytes, and hex pairs', () => {
    const bytes = decodeBase64(btoa('boom\r\n\u0001'));
    expect(bytesToText(bytes)).toBe('boom\\r\\n\\x01');
    expect(bytesToHex(bytes)).toBe('62 6f 6f 6d 0d 0a 01');
  });

  it('never throws on malformed base64', () => {
    expect(previewText('%%%')).toBe('');
  });
});

describe('quantities', () => {
  it('formats bytes and durations compactly', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatDuration(4.25)).toBe('4.3 ms');
    expect(formatDuration(1240)).toBe('1.24 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatRunningFor(-300)).toBe('< 1 s');
    expect(formatRunningFor(2500)).toBe('2.50 s');
  });
});
