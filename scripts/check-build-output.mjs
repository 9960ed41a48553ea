// Run after `electron-vite build` (in `npm run test:e2e` and `npm run dist`): the files the packaged
// desktop app loads exist in out/ and electron-builder.yml's `files` packs them. One line per problem.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOutputProblems, readPackagingConfig } from './packaging-config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = buildOutputProblems(
  root,
  /** @type {import('./packaging-config.mjs').PackagingConfig} */ (readPackagingConfig(root)),
);
for (const problem of problems) console.error(`Build output: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log('Build output: every file the packaged app loads is built and packed.');
