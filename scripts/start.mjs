// `npm start`: the desktop app when an Electron runtime is installed, otherwise the same UI served to a
// browser by `echoscope web`. Arguments are forwarded; SIGINT/SIGTERM are forwarded exactly once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The downloaded Electron executable, or null. */
function electronBinary() {
  try {
    // From plain Node, the electron package exports the path of its downloaded binary.
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/**
 * npm 11 leaves electron's postinstall (the binary download) unrun unless approved, so the first start
 * fetches the runtime itself. Where downloads are off or impossible this fails fast and we fall back.
 */
function fetchElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(installer)) return false;
  console.log('Fetching the Electron runtime (first start only)...');
  const result = spawnSync(process.execPath, [installer], {
    cwd: dirname(installer),
    stdio: 'ignore',
    timeout: 300_000,
  });
  return result.status === 0;
}

/** The Electron executable, or the reason it cannot be used. */
function findElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'No display to open a window on (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  const binary = electronBinary() ?? (fetchElectron() ? electronBinary() : null);
  if (!binary)
    return { reason: 'Electron runtime not available on this machine (its binary could not be downloaded)' };
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
