// First step of `npm run test:e2e`: make sure a Chromium that starts is there for Playwright, installing
// one where none is found, and say in one line which one the tests will use (or why there is none).
// --dry-run: look, and list the installers that would be tried, but install nothing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromiumInstallers } from './chromium-installers.mjs';
import { locateChromium, onPath } from './chromium-location.mjs';
import { processFailure } from './process-failure.mjs';

const PROBE_TIMEOUT_MS = 15_000;

/** @param {string} path */
function readOrEmpty(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The browser's version line if it starts; a missing shared library already fails `--version`.
 * @param {string} path
 * @returns {{ version: string } | { failure: string }}
 */
function probe(path) {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  const failure = processFailure(result, PROBE_TIMEOUT_MS);
  return failure ? { failure } : { version: result.stdout.trim() };
}

/** The Chromium the tests will use with its version, or why none is usable. */
function usableChromium() {
  const located = locateChromium();
  if ('missing' in located) return { problem: located.missing, chosenByUser: located.chosenByUser };
  const probed = probe(located.path);
  if ('failure' in probed) {
    return {
      problem: `${located.source} at ${located.path} does not start: ${probed.failure}`,
      chosenByUser: located.source === 'CHROMIUM_PATH',
    };
  }
  return {
    line: `Chromium for the end-to-end tests: ${located.path} (${located.source}, ${probed.version})`,
  };
}

const dryRun = process.argv.includes('--dry-run');
let chromium = usableChromium();
const firstProblem = 'problem' in chromium ? chromium.problem : null;
/** @type {string[]} What was tried and how it ended, for the one failure line. */
const outcomes = [];
if ('problem' in chromium && !chromium.chosenByUser) {
  const { installers, aptSkipped } = chromiumInstallers({
    playwrightCli: createRequire(import.meta.url).resolve('@playwright/test/cli'),
    isRoot: process.getuid?.() === 0,
    osRelease: readOrEmpty('/etc/os-release'),
    aptGet: onPath('apt-get'),
  });
  console.log(`${chromium.problem}; installing one${dryRun ? ' (dry run: nothing is run)' : ''}`);
  for (const installer of installers) {
    console.log(`  ${dryRun ? 'would run' : 'running'}: ${installer.label}`);
    if (dryRun) continue;
    // Its output is captured, not shown: progress bars and stack traces, summarised below in a line.
    const result = spawnSync(installer.command, installer.args, {
      encoding: 'utf8',
      timeout: installer.timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    const failure = processFailure(result, installer.timeoutMs);
    chromium = usableChromium();
    if ('line' in chromium) break;
    const after = chromium.problem === firstProblem ? 'finished, yet none found' : chromium.problem;
    outcomes.push(`${installer.label}: ${failure ?? after}`);
  }
  if (aptSkipped) outcomes.push(`apt-get install chromium not tried: ${aptSkipped}`);
}

if ('line' in chromium) {
  console.log(chromium.line);
} else if (!dryRun || chromium.chosenByUser) {
  const tried = outcomes.length > 0 ? ` (${outcomes.join('; ')})` : '';
  const hint = chromium.chosenByUser
    ? 'Point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it'
    : 'Install Chromium or set CHROMIUM_PATH';
  console.error(`No Chromium for the end-to-end tests: ${chromium.problem}${tried}. ${hint}.`);
  process.exit(1);
}
