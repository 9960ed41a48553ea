#!/usr/bin/env node
// The `echoscope` command (package.json "bin"): runs the built CLI, out/main/cli.js.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`echoscope: not built yet; run "npm run build" in ${root}\n`);
  process.exit(2);
}
require(cli);
