// electron-builder.yml checked as far as a machine that cannot run electron-builder's downloads allows:
// against electron-builder's own schema, for the resources it names, and for the built files it packs.
// The parser, schema and glob matcher are electron-builder's own (app-builder-lib's dependencies), so
// these checks read the file exactly as `npm run dist` will.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';

/** Resolves modules as electron-builder's app-builder-lib does, wherever npm placed them. */
const builderRequire = createRequire(
  createRequire(createRequire(import.meta.url).resolve('electron-builder')).resolve(
    'app-builder-lib/package.json',
  ),
);

/** What the packaged app loads at run time (src-main/electron/desktop-app.ts), besides its entry. */
const APP_FILES = ['out/preload/index.js', 'out/renderer/index.html'];

/** The smallest icon.png electron-builder turns into a macOS .icns / a Windows .ico. */
const MIN_ICON_SIZE = { mac: 512, win: 256, linux: 0 };

/**
 * @typedef {{ icon?: string, target?: string | Array<string | { target: string }> }} PlatformConfig
 * @typedef {{
 *   directories?: { buildResources?: string },
 *   files?: string[],
 *   extraResources?: Array<string | { from: string, to?: string }>,
 *   extraMetadata?: { main?: string },
 *   icon?: string,
 *   linux?: PlatformConfig, mac?: PlatformConfig, win?: PlatformConfig,
 * }} PackagingConfig
 */

/** @param {string} path */
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** @param {string} path */
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * electron-builder.yml as electron-builder parses it.
 * @param {string} root
 * @returns {unknown}
 */
export function readPackagingConfig(root) {
  return builderRequire('js-yaml').load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
}

/** electron-builder's schema, compiled once: it is large (seconds to compile). */
function compileSchema() {
  const schema = JSON.parse(readFileSync(builderRequire.resolve('./scheme.json'), 'utf8'));
  // electron-builder validates with these options (app-builder-lib's schemaValidator): its schema has
  // keywords strict mode rejects, and it coerces scalars (a numeric productName is accepted as text).
  return new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);
}

/** @type {import('ajv').ValidateFunction | undefined} */
let validate;

/**
 * Where the config breaks electron-builder's schema, one line each.
 * @param {unknown} config
 * @returns {string[]}
 */
export function schemaProblems(config) {
  validate ??= compileSchema();
  if (validate(structuredClone(config))) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = error.params.additionalProperty ? ` (${error.params.additionalProperty})` : '';
    return `electron-builder.yml${error.instancePath || '/'} ${error.message}${extra}`;
  });
}

/**
 * Width and height of a PNG (from its IHDR chunk), or null if the file is not a PNG.
 * @param {string} path
 */
function pngSize(path) {
  const bytes = readFileSync(path);
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature) return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * The resources the config names (or implies) that are missing or unusable, one line each.
 * @param {string} root
 * @param {PackagingConfig} config
 * @returns {string[]}
 */
export function resourceProblems(root, config) {
  const problems = [];
  const resourcesDir = resolve(root, config.directories?.buildResources ?? 'build');
  if (!isDirectory(resourcesDir)) problems.push(`buildResources directory ${resourcesDir} is missing`);
  for (const platform of /** @type {const} */ (['linux', 'mac', 'win'])) {
    const section = config[platform];
    if (!section) continue;
    // electron-builder looks a named icon up in buildResources, then in the project; unnamed, it takes
    // buildResources/icon.png (or uses Electron's default icon, which we never want).
    const named = section.icon ?? config.icon;
    const candidates = named
      ? [resolve(resourcesDir, named), resolve(root, named)]
      : [join(resourcesDir, 'icon.png')];
    const icon = candidates.find(isFile);
    if (!icon) {
      problems.push(`${platform} icon ${named ?? 'icon.png in buildResources'} is missing`);
      continue;
    }
    if (!icon.endsWith('.png')) continue;
    const size = pngSize(icon);
    const min = MIN_ICON_SIZE[platform];
    if (!size) problems.push(`${platform} icon ${icon} is not a PNG`);
    else if (size.width < min || size.height < min) {
      problems.push(`${platform} icon ${icon} is ${size.width}x${size.height}, needs at least ${min}x${min}`);
    }
  }
  for (const pattern of config.files ?? []) {
    const literal = !/[*?{}[\]!]/.test(pattern);
    if (literal && !isFile(resolve(root, pattern))) problems.push(`files entry ${pattern} is missing`);
  }
  for (const entry of config.extraResources ?? []) {
    const from = typeof entry === 'string' ? entry : entry.from;
    const path = resolve(root, from);
    if (!isFile(path) && !isDirectory(path)) problems.push(`extraResources entry ${from} is missing`);
  }
  problems.push(...debMetadataProblems(root, config.linux));
  return problems;
}

/**
 * What electron-builder's deb target refuses to build without (its FpmTarget checks these before it
 * builds anything, so a missing one fails the whole `npm run dist`).
 * @param {string} root
 * @param {PlatformConfig | undefined} linux
 * @returns {string[]}
 */
function debMetadataProblems(root, linux) {
  const targets = [linux?.target ?? []].flat().map((t) => (typeof t === 'string' ? t : t.target));
  if (!targets.includes('deb')) return [];
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problems = [];
  if (!pkg.homepage && !pkg.repository) problems.push('the deb target needs "homepage" in package.json');
  if (typeof pkg.author !== 'object' || !pkg.author?.email)
    problems.push('the deb target needs "author": { "name", "email" } in package.json (its maintainer)');
  return problems;
}

/**
 * The built files the packaged app needs that are missing from out/ or left out by `files`, one line
 * each. Meaningful after `electron-vite build`.
 * @param {string} root
 * @param {PackagingConfig} config
 * @returns {string[]}
 */
export function buildOutputProblems(root, config) {
  const { minimatch } = builderRequire('minimatch');
  const patterns = config.files ?? ['**/*'];
  /** @param {string} file */
  const packed = (file) =>
    patterns.some((p) => !p.startsWith('!') && minimatch(file, p)) &&
    !patterns.some((p) => p.startsWith('!') && minimatch(file, p.slice(1)));
  const packageMain = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main;
  /** @type {string | undefined} */
  const entry = config.extraMetadata?.main ?? packageMain;
  if (!entry)
    return ['no entry: electron-builder.yml extraMetadata.main and package.json main are both unset'];
  const problems = [];
  for (const file of [entry, ...APP_FILES]) {
    if (!isFile(join(root, file))) problems.push(`${file} is missing: build first (electron-vite build)`);
    else if (!packed(file))
      problems.push(`${file} is not packed: no "files" pattern in electron-builder.yml takes it`);
  }
  return problems;
}
