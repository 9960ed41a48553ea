// `npm run test:probe`: the Python probe's own tests (probe/tests, standard-library unittest) with the
// python3 on PATH. Where there is none, or it is older than the probe supports (3.10), the tests are
// skipped with the reason printed, and the run still passes: the probe is optional for Echoscope.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = process.env.PYTHON ?? 'python3';
const MINIMUM = /** @type {const} */ ([3, 10]);
const TIMEOUT_MS = 180_000;

const version = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
  encoding: 'utf8',
});
if (version.error || version.status !== 0) {
  console.log(
    `Probe tests skipped: no ${PYTHON} on PATH (${version.error?.message ?? version.stderr.trim()}).`,
  );
  process.exit(0);
}
const found = version.stdout.trim();
const [major = 0, minor = 0] = found.split('.').map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  console.log(
    `Probe tests skipped: ${PYTHON} is ${found}; the probe needs CPython ${MINIMUM.join('.')} or newer.`,
  );
  process.exit(0);
}
console.log(`Probe tests with ${PYTHON} ${found}:`);
const run = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'probe', '-t', 'probe'], {
  cwd: ROOT,
  stdio: 'inherit',
  timeout: TIMEOUT_MS,
  env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
});
if (run.error) {
  console.error(`Probe tests did not finish: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
