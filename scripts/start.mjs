// `npm start`: the desktop app when an Electron runtime is installed, otherwise the same UI served to a
// browser by `echoscope web`. Arguments are forwarded; SIGINT/SIGTERM are forwarded exactly once.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron executable, or the reason it cannot be used. */
function findElectron() {
  let binary;
  try {
    // From plain Node, the electron package exports the path of its downloaded binary.
    binary = createRequire(import.meta.url)('electron');
  } catch {
    return { reason: 'Electron runtime not available on this machine (no binary was downloaded)' };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { reason: 'Electron runtime not available on this machine (no binary was downloaded)' };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'No display to open a window on (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  return { binary };
}

const electron = findElectron();
const [command, commandArgs] = electron.binary
  ? [electron.binary, ['--js-flags=--expose-gc', root, ...args]]
  : [process.execPath, [join(root, 'out', 'main', 'cli.js'), 'web', ...args]];
if (!electron.binary) console.log(`${electron.reason}; serving the same UI in your browser instead.`);

// Its own process group, so a terminal's Ctrl-C reaches it once (forwarded below), not twice.
const child = spawn(command, commandArgs, {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
}
child.on('error', (err) => {
  console.error(`Could not start ${command}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
