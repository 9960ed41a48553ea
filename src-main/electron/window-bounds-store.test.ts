import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowBounds, saveWindowBounds } from './window-bounds-store';

const dir = mkdtempSync(join(tmpdir(), 'echoscope-window-'));

describe('window bounds store', () => {
  it('round-trips saved bounds', () => {
    const file = join(dir, 'nested', 'window.json');
    saveWindowBounds(file, { x: 10, y: 20, width: 1300, height: 850, maximized: true });
    expect(loadWindowBounds(file)).toEqual({ x: 10, y: 20, width: 1300, height: 850, maximized: true });
  });

  it.each([
    ['missing', null],
    ['corrupt', '{not json'],
    ['wrong types', JSON.stringify({ x: '1', y: 2, width: 900, height: 700, maximized: false })],
    ['absurd size', JSON.stringify({ x: 1, y: 2, width: 5, height: 700, maximized: false })],
    ['array', '[]'],
  ])('reads %s as no saved bounds', (name, content) => {
    const file = join(dir, `${name}.json`);
    if (content !== null) writeFileSync(file, content);
    expect(loadWindowBounds(file)).toBeNull();
  });
});
