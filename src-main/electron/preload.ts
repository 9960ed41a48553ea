import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { EchoscopeApi } from '../../src-shared/api';
import { BATCH_ACK_CHANNEL, BATCH_CHANNEL, commandChannel, PRELOAD_API_KEY } from '../../src-shared/channels';
import { isCommandName } from '../../src-shared/command-validation';
import type { EventBatch } from '../../src-shared/events';

/**
 * The page's whole view of the main process: named functions for the typed API, never `ipcRenderer`
 * itself. Runs sandboxed, so it is bundled (it may only require 'electron').
 */
const batchListeners = new Set<(batch: EventBatch) => void>();
// One receiver for every listener, so each batch is acknowledged exactly once, after it was applied.
ipcRenderer.on(BATCH_CHANNEL, (_event: IpcRendererEvent, batch: EventBatch) => {
  for (const listener of batchListeners) listener(batch);
  ipcRenderer.send(BATCH_ACK_CHANNEL);
});

const api: EchoscopeApi = {
  host: 'electron',
  invoke(name, args) {
    if (!isCommandName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-command', message: 'Unknown command' } });
    }
    return ipcRenderer.invoke(commandChannel(name), args);
  },
  onBatch(listener) {
    const own = (batch: EventBatch): void => listener(batch);
    batchListeners.add(own);
    return () => {
      batchListeners.delete(own);
    };
  },
  onLink(listener) {
    // IPC to the main process cannot drop while the page exists.
    listener('open');
    return () => undefined;
  },
};

contextBridge.exposeInMainWorld(PRELOAD_API_KEY, api);
