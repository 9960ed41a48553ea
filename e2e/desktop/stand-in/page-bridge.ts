import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';

/** A page's MessagePort, as far as the bridge uses it (this file compiles without the DOM's types). */
interface PagePort {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(data: unknown): void;
}

/** The page-side hooks the stand-in installs; Playwright bindings (`__standIn*` functions) call Node. */
interface StandInPage {
  __standInIpc(channel: string, args: unknown[]): void;
  __standInPort(portId: number, data: unknown): void;
  __standInBounds(width: number, height: number): void;
  __standInMenu(path: string[], answer: string[] | null): Promise<void>;
  __standInRequire(id: string): unknown;
  __standInDeliver(channel: string, portId: number | null, message: unknown): void;
  __standInPortPost(portId: number, data: unknown): void;
  /**
   * Test controls: what a page that stops acknowledging looks like to the main process; and the
   * application menu, clicked by labels (`answer`: the files an open dialog it shows returns).
   */
  __standInControl: {
    holdAcks(on: boolean): void;
    commandsSent(): string[];
    clickMenu(path: string[], answer: string[] | null): Promise<void>;
  };
  innerWidth: number;
  innerHeight: number;
  addEventListener(type: 'resize', listener: () => void): void;
  MessageChannel: new () => { port1: PagePort; port2: PagePort };
}

/**
 * Runs in the page before any of its scripts (serialized by Playwright, so it may use nothing from
 * its module). It plays the renderer half of Electron for the real preload: `require('electron')` gives
 * `ipcRenderer` and `contextBridge`; ports the main process transfers become real MessagePorts whose
 * other end is bridged to Node. Unlike Electron, this runs in the page's own world (no isolated world
 * here), so the stand-in's hooks are visible to the page: a test-only difference.
 */
export function installPageBridge(ackText: string): void {
  const page = globalThis as unknown as StandInPage;
  const listeners = new Map<string, Set<(event: IpcRendererEvent, ...args: unknown[]) => void>>();
  const ports = new Map<number, PagePort>();
  const commands: string[] = [];
  /** While set, acknowledgements wait here, as they would in a page too busy to send them. */
  let heldAcks: Array<() => void> | null = null;

  const ipcRenderer: Pick<IpcRenderer, 'send' | 'on'> = {
    send(channel: string, ...args: unknown[]) {
      page.__standInIpc(channel, args);
    },
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return ipcRenderer as unknown as IpcRenderer;
    },
  };

  const contextBridge = {
    exposeInMainWorld(apiKey: string, api: unknown) {
      Object.defineProperty(page, apiKey, { value: Object.freeze(api), enumerable: true });
    },
  } satisfies Pick<ContextBridge, 'exposeInMainWorld'>;

  page.__standInRequire = (id) => {
    if (id === 'electron') return { ipcRenderer, contextBridge };
    throw new Error(`A sandboxed preload cannot require "${id}"`);
  };

  page.__standInDeliver = (channel, portId, message) => {
    const transferred: PagePort[] = [];
    if (portId !== null) {
      const { port1, port2 } = new page.MessageChannel();
      ports.set(portId, port1);
      port1.onmessage = (event) => {
        if (typeof event.data === 'string' && event.data.startsWith('{"type":"command"')) {
          commands.push((JSON.parse(event.data) as { name: string }).name);
        }
        const data = event.data;
        if (heldAcks && data === ackText) heldAcks.push(() => page.__standInPort(portId, data));
        else page.__standInPort(portId, data);
      };
      transferred.push(port2);
    }
    const event = { ports: transferred, sender: ipcRenderer } as unknown as IpcRendererEvent;
    for (const listener of listeners.get(channel) ?? []) listener(event, message);
  };

  page.__standInPortPost = (portId, data) => ports.get(portId)?.postMessage(data);

  page.__standInControl = {
    holdAcks(on) {
      const held = heldAcks;
      heldAcks = on ? (held ?? []) : null;
      if (!on) for (const send of held ?? []) send();
    },
    commandsSent: () => [...commands],
    clickMenu: (path, answer) => page.__standInMenu(path, answer),
  };

  page.addEventListener('resize', () => page.__standInBounds(page.innerWidth, page.innerHeight));
}

/**
 * The init script for a window: the bridge, then the real built preload, run as Electron runs a
 * sandboxed preload (a function of `require`, `module`, `exports`), in the top frame only, as
 * Electron does without `nodeIntegrationInSubFrames`.
 */
export function pageInitScript(preloadSource: string, ackText: string): string {
  // Transpilers may wrap nested functions in `__name(...)`; the page has no such helper.
  return `var __name = (target) => target;
(${installPageBridge.toString()})(${JSON.stringify(ackText)});
if (window === window.top) {
  (function (require, module, exports) {
${preloadSource}
  })(window.__standInRequire, { exports: {} }, {});
}`;
}
