import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureElectronRuntime, installedElectron } from './electron-runtime.mjs';

// Where the runtime is already installed there is nothing to fetch, so nothing here to observe.
describe.skipIf(installedElectron() !== null)('ensureElectronRuntime without an installed runtime', () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'electron-cache-'));
    // A fresh cache, so no earlier download can answer; the installer child inherits these.
    vi.stubEnv('electron_config_cache', cache);
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    rmSync(cache, { recursive: true, force: true });
  });

  it("runs electron's installer and turns its failed download into one line", () => {
    // Nothing listens on port 9: the download is refused at once, as an unreachable host would be.
    // npm_config_electron_mirror is the mirror setting @electron/get reads first.
    vi.stubEnv('npm_config_electron_mirror', 'http://127.0.0.1:9/');
    vi.stubEnv('ELECTRON_SKIP_BINARY_DOWNLOAD', '');
    const runtime = ensureElectronRuntime();
    expect(runtime).toEqual({ reason: 'its download failed: connect ECONNREFUSED 127.0.0.1:9' });
    expect(console.log).toHaveBeenCalledWith('Fetching the Electron runtime (first run only)...');
  });

  it('does not try to download when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and says so', () => {
    vi.stubEnv('ELECTRON_SKIP_BINARY_DOWNLOAD', '1');
    expect(ensureElectronRuntime()).toEqual({
      reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it is never downloaded',
    });
    expect(console.log).not.toHaveBeenCalled();
  });
});
