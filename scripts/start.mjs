// `npm start`: the desktop app when an Electron runtime is installed, otherwise the same UI served to a
// browser by `echoscope web`. Arguments are forwarded; SIGINT/SIGTERM are forwarded exactly once.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronRuntime } from './electron-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron executable, or the reason it cannot be used. */
function findElectron() {
  // Checked first: without a display there is no point downloading the runtime.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'No display to open a window on (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  const runtime = ensureElectronRuntime();
  return 'binary' in runtime ? runtime : { reason: `No Electron runtime (${runtime.reason})` };
}

const electron = findElectron();
const [command, commandArgs] =
  'binary' in electron
    ? [electron.binary, ['--js-flags=--expose-gc', root, ...args]]
    : [process.execPath, [join(root, 'out', 'main', 'cli.js'), 'web', ...args]];
if ('reason' in electron) console.log(`${electron.reason}; serving the same UI in your browser instead.`);

// Its own process group, so a terminal's Ctrl-C reaches it once (forwarded below), not twice.
const child = spawn(command, commandArgs, {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
}
child.on('error', (err) => {
  console.error(`Could not start ${command}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
