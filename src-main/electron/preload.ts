import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { EchoscopeApi } from '../../src-shared/api';
import { BATCH_CHANNEL, commandChannel, PRELOAD_API_KEY } from '../../src-shared/channels';
import { isCommandName } from '../../src-shared/command-validation';
import type { EventBatch } from '../../src-shared/events';

/**
 * The page's whole view of the main process: named functions for the typed API, never `ipcRenderer`
 * itself. Runs sandboxed, so it is bundled (it may only require 'electron').
 */
const api: EchoscopeApi = {
  host: 'electron',
  invoke(name, args) {
    if (!isCommandName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-command', message: 'Unknown command' } });
    }
    return ipcRenderer.invoke(commandChannel(name), args);
  },
  onBatch(listener) {
    const forward = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
    ipcRenderer.on(BATCH_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(BATCH_CHANNEL, forward);
    };
  },
  onLink(listener) {
    // IPC to the main process cannot drop while the page exists.
    listener('open');
    return () => undefined;
  },
};

contextBridge.exposeInMainWorld(PRELOAD_API_KEY, api);
