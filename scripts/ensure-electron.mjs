// First step of `npm run dist`: electron-builder packages this platform's Electron runtime. Fetch it
// here, so that where it cannot be downloaded packaging stops with one line and exit code 1, before a
// build and before electron-builder's own download fails with a stack trace.
import { ensureElectronRuntime } from './electron-runtime.mjs';

const runtime = ensureElectronRuntime();
if ('reason' in runtime) {
  console.error(`Cannot package the desktop app without the Electron runtime: ${runtime.reason}`);
  process.exit(1);
}
