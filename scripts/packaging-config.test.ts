import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildOutputProblems,
  type PackagingConfig,
  readPackagingConfig,
  resourceProblems,
  schemaProblems,
} from './packaging-config.mjs';

const ROOT = resolve(__dirname, '..');

/** The first 24 bytes of a PNG of the given size: signature, then the IHDR chunk's width and height. */
function pngHeader(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

describe("the project's electron-builder.yml", () => {
  const config = readPackagingConfig(ROOT) as PackagingConfig;

  it("is valid against electron-builder's own schema", () => {
    expect(schemaProblems(config)).toEqual([]);
  });

  it('names resources that exist: buildResources, an icon big enough for each platform', () => {
    expect(resourceProblems(ROOT, config)).toEqual([]);
  });
});

describe('schemaProblems', () => {
  it('reports an unknown option and a wrongly shaped one, with where they are', () => {
    const problems = schemaProblems({ appId: 'x', appID: 'typo', directories: 'build' });
    expect(problems).toContain('electron-builder.yml/ must NOT have additional properties (appID)');
    expect(problems.some((p) => p.startsWith('electron-builder.yml/directories must be object'))).toBe(true);
  });
});

describe('resourceProblems and buildOutputProblems on a project in a temporary directory', () => {
  let root: string;
  const write = (path: string, content: string | Buffer = '') => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'packaging-'));
    write('package.json', JSON.stringify({ main: 'out/main/index.js' }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds a named icon in the project when it is not in buildResources', () => {
    write('build/icon.png', pngHeader(512, 512));
    const config = { linux: { icon: 'build/icon.png' }, mac: {}, win: {} };
    expect(resourceProblems(root, config)).toEqual([]);
  });

  it('reports a missing buildResources directory, a missing icon and a missing listed file', () => {
    const config = {
      directories: { buildResources: 'res' },
      linux: { icon: 'nope.png' },
      files: ['LICENSE'],
    };
    expect(resourceProblems(root, config)).toEqual([
      `buildResources directory ${join(root, 'res')} is missing`,
      'linux icon nope.png is missing',
      'files entry LICENSE is missing',
    ]);
  });

  it('reports a missing extraResources source, and a deb target without homepage and maintainer', () => {
    write('build/icon.png', pngHeader(512, 512));
    write('probe/pkg/__init__.py');
    const config = {
      extraResources: [{ from: 'probe/pkg', to: 'probe/pkg' }, 'missing-dir'],
      linux: { target: ['AppImage', { target: 'deb' }] },
    };
    expect(resourceProblems(root, config)).toEqual([
      'extraResources entry missing-dir is missing',
      'the deb target needs "homepage" in package.json',
      'the deb target needs "author": { "name", "email" } in package.json (its maintainer)',
    ]);
    write(
      'package.json',
      JSON.stringify({ homepage: 'https://example.org', author: { name: 'A', email: 'a@example.org' } }),
    );
    expect(resourceProblems(root, { ...config, extraResources: ['probe/pkg'] })).toEqual([]);
  });

  it('reports an icon too small for macOS and Windows, and one that is not a PNG', () => {
    write('build/icon.png', pngHeader(128, 128));
    write('build/text.png', 'not a png');
    const icon = join(root, 'build/icon.png');
    const problems = resourceProblems(root, { linux: { icon: 'text.png' }, mac: {}, win: {} });
    expect(problems).toEqual([
      `linux icon ${join(root, 'build/text.png')} is not a PNG`,
      `mac icon ${icon} is 128x128, needs at least 512x512`,
      `win icon ${icon} is 128x128, needs at least 256x256`,
    ]);
  });

  it('reports built files that are missing, then ones the files patterns leave out', () => {
    const config = { files: ['out/**', '!out/preload/**', 'package.json'] };
    expect(buildOutputProblems(root, config)).toEqual([
      'out/main/index.js is missing: build first (electron-vite build)',
      'out/preload/index.js is missing: build first (electron-vite build)',
      'out/renderer/index.html is missing: build first (electron-vite build)',
    ]);
    for (const file of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) write(file);
    expect(buildOutputProblems(root, config)).toEqual([
      'out/preload/index.js is not packed: no "files" pattern in electron-builder.yml takes it',
    ]);
    expect(buildOutputProblems(root, { files: ['out/**'] })).toEqual([]);
  });

  it("takes the entry from extraMetadata.main over package.json's main", () => {
    for (const file of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) write(file);
    expect(
      buildOutputProblems(root, { files: ['out/**'], extraMetadata: { main: 'out/main/app.js' } }),
    ).toEqual(['out/main/app.js is missing: build first (electron-vite build)']);
  });
});
