import type { EchoscopeApi } from '../../src-shared/api';
import { PRELOAD_API_KEY } from '../../src-shared/channels';

/** The page's global object as the Electron preload leaves it. */
type PreloadWindow = Window & { readonly [PRELOAD_API_KEY]?: EchoscopeApi };

/** The API the Electron preload exposed, or null outside Electron (e.g. in a browser on `echoscope web`). */
export function findPreloadApi(): EchoscopeApi | null {
  const api = (window as PreloadWindow)[PRELOAD_API_KEY];
  return api?.host === 'electron' ? api : null;
}

/**
 * `EchoscopeApi` over Electron IPC, through the preload's bridge. Keeps the contract's promise that
 * failures arrive as `{ ok: false }`: an IPC rejection (main process gone, handler missing) becomes one.
 */
export function createIpcTransport(bridge: EchoscopeApi): EchoscopeApi {
  return {
    host: 'electron',
    invoke(name, args) {
      return bridge.invoke(name, args).catch((err: unknown) => ({
        ok: false,
        error: { code: 'ipc-failed', message: err instanceof Error ? err.message : String(err) },
      }));
    },
    onBatch: (listener) => bridge.onBatch(listener),
    onLink: (listener) => bridge.onLink(listener),
  };
}
