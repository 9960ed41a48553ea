import { describe, expect, it } from 'vitest';
import { previewText } from './payload';
import { formatBytes } from './quantity';
import { formatDuration, formatRunningFor } from './time';

describe('payload previews', () => {
  it('shows line endings, control and non-UTF-8 bytes as escapes', () => {
    expect(previewText(btoa('boom\r\n\u0001'))).toBe('boom\\r\\n\\x01');
    expect(previewText(btoa('\xde\xad\xbe\xef\n'))).toBe('\\xde\\xad\\xbe\\xef\\n');
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
