import { BrowserWindow } from 'electron';
import type { RendererSource } from './renderer-source';
import { loadWindowBounds, saveWindowBounds } from './window-bounds-store';

/**
 * The one app window: isolated, sandboxed, no Node in the page, and unable to navigate away, open
 * windows or embed webviews. Shown once its first paint is ready.
 */
export function createMainWindow(
  source: RendererSource,
  preloadPath: string,
  boundsFile: string,
): BrowserWindow {
  const saved = loadWindowBounds(boundsFile);
  const win = new BrowserWindow({
    width: saved?.width ?? 1280,
    height: saved?.height ?? 820,
    ...(saved ? { x: saved.x, y: saved.y } : {}),
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: 'Echoscope',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });
  // Window state persists between runs, like the settings the renderer keeps.
  win.on('close', () =>
    saveWindowBounds(boundsFile, { ...win.getNormalBounds(), maximized: win.isMaximized() }),
  );
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const loaded = source.kind === 'dev' ? win.loadURL(source.url) : win.loadFile(source.indexPath);
  loaded.catch((err: unknown) => {
    console.error(
      `Echoscope: could not load the renderer: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  return win;
}
