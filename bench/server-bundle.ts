/**
 * The Node servers under test run from one esbuild bundle of bench/bench-server.ts, as the app runs a
 * bundle of the engine (electron-vite), not its TypeScript through tsx. Under tsx, which loads each
 * module separately, the engine took about 5 s longer to reach its steady speed: bulk recv(1024) at
 * 2.3 ms of CPU per MiB in its first second and 1.2 after six, against 1.3 and 1.0 from the bundle.
 * Bare Node's server is Node's own code either way.
 */

import { resolve } from 'node:path';
import { buildSync } from 'esbuild';

const SOURCE = resolve(__dirname, 'bench-server.ts');
const BUNDLE = resolve(__dirname, 'results/.bin/bench-server.cjs');

let built = false;

/** Bundles the bench server (once per run, so it always matches the sources) and returns its path. */
export function benchServerScript(): string {
  if (!built) {
    buildSync({
      entryPoints: [SOURCE],
      outfile: BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      logLevel: 'warning',
    });
    built = true;
  }
  return BUNDLE;
}
