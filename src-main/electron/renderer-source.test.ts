import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRendererUrl, resolveRendererSource } from './renderer-source';

const outDir = join('/opt', 'echoscope', 'out');
const indexPath = join(outDir, 'renderer', 'index.html');

describe('resolveRendererSource', () => {
  it('uses the built index.html unless a loopback dev server is given', () => {
    expect(resolveRendererSource(outDir, undefined)).toEqual({ kind: 'file', indexPath });
    expect(resolveRendererSource(outDir, 'http://localhost:5173/')).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
  });

  it('never loads a remote or non-http dev URL', () => {
    expect(resolveRendererSource(outDir, 'https://evil.example/').kind).toBe('file');
    expect(resolveRendererSource(outDir, 'file:///etc/passwd').kind).toBe('file');
    expect(resolveRendererSource(outDir, 'not a url').kind).toBe('file');
  });
});

describe('isRendererUrl', () => {
  it('accepts only our own page', () => {
    const file = resolveRendererSource(outDir, undefined);
    const page = pathToFileURL(indexPath).href;
    expect(isRendererUrl(file, page)).toBe(true);
    expect(isRendererUrl(file, `${page}?x=1#top`)).toBe(true);
    expect(isRendererUrl(file, pathToFileURL(join(outDir, 'renderer', 'other.html')).href)).toBe(false);
    expect(isRendererUrl(file, 'https://evil.example/index.html')).toBe(false);
    expect(isRendererUrl(file, '')).toBe(false);
    const dev = resolveRendererSource(outDir, 'http://localhost:5173/');
    expect(isRendererUrl(dev, 'http://localhost:5173/some/route')).toBe(true);
    expect(isRendererUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isRendererUrl(dev, page)).toBe(false);
  });
});
