/**
 * A stand-in for the `electron` module as the main process sees it, for machines with no Electron
 * binary. It implements what src-main/electron calls, typed against electron.d.ts, over a Chromium
 * driven by Playwright: a BrowserWindow is a page whose init script runs the real built preload, IPC
 * from the page arrives through a Playwright binding, and a transferred MessagePortMain is bridged to
 * a real MessagePort in the page. Lines starting "stand-in:" on stdout report what it saw.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Frame, type Page } from '@playwright/test';
import type * as Electron from 'electron';
import { ACK_MESSAGE_TEXT } from '../../../src-shared/ws-protocol';
import { CHROMIUM_FLAGS } from '../../fixtures/chromium';
import { pageInitScript } from './page-bridge';
import { readStandInConfig } from './stand-in-config';

const config = readStandInConfig();
const report = (line: string): void => {
  process.stdout.write(`stand-in: ${line}\n`);
};

/** One end of a stand-in channel; `forward` is set when this end was transferred into a page. */
class StandInPort
  extends EventEmitter
  implements Pick<Electron.MessagePortMain, 'postMessage' | 'start' | 'close'>
{
  peer: StandInPort | null = null;
  forward: ((data: unknown) => void) | null = null;
  private started = false;
  private closed = false;
  private readonly queue: unknown[] = [];

  postMessage(message: unknown): void {
    if (!this.closed) this.peer?.deliver(message);
  }

  deliver(data: unknown): void {
    if (this.forward) this.forward(data);
    else if (this.started) this.emit('message', { data, ports: [] } satisfies Electron.MessageEvent);
    else this.queue.push(data);
  }

  start(): void {
    this.started = true;
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    this.peer = null;
    peer?.peerClosed();
  }

  private peerClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.peer = null;
    this.emit('close');
  }
}

export class MessageChannelMain {
  readonly port1 = new StandInPort();
  readonly port2 = new StandInPort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

let context: BrowserContext | null = null;
let nextPortId = 1;
const frameIds = new Map<Frame, number>();

/** What Electron calls a WebFrameMain, for a Playwright frame (main frame: routing id 1). */
function frameOf(
  frame: Frame,
): Pick<Electron.WebFrameMain, 'url' | 'processId' | 'routingId' | 'isDestroyed'> {
  const routingId = frameIds.get(frame) ?? (frame.parentFrame() ? 100 + frameIds.size : 1);
  frameIds.set(frame, routingId);
  return { url: frame.url(), processId: 1, routingId, isDestroyed: () => frame.isDetached() };
}

/** What the page bridge installs, as this side calls it. */
interface PageHooks {
  __standInPortPost(portId: number, data: unknown): void;
  __standInDeliver(channel: string, portId: number | null, message: unknown): void;
}

class StandInWebContents
  extends EventEmitter
  implements Pick<Electron.WebContents, 'postMessage' | 'isDestroyed' | 'setWindowOpenHandler'>
{
  private destroyed = false;
  /** Page-bound work runs in order: a port's messages must arrive as they were sent. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly pagePorts = new Set<StandInPort>();

  /** Set once the window's page exists; IPC can only arrive after that. */
  page: Page | null = null;

  constructor(pageReady: Promise<unknown>) {
    super();
    this.chain = pageReady;
  }

  get mainFrame(): ReturnType<typeof frameOf> {
    if (!this.page) throw new Error('stand-in: mainFrame read before the page exists');
    return frameOf(this.page.mainFrame());
  }

  private inPage(work: (page: Page) => Promise<unknown>): void {
    this.chain = this.chain.then(() => (this.page ? work(this.page) : undefined)).catch(() => undefined);
  }

  postMessage(channel: string, message: unknown, transfer: Electron.MessagePortMain[] = []): void {
    const port = transfer[0] as unknown as StandInPort | undefined;
    let portId: number | null = null;
    if (port) {
      const id = nextPortId++;
      portId = id;
      this.pagePorts.add(port);
      portsById.set(id, port);
      port.forward = (data) =>
        this.inPage((page) =>
          page.evaluate(([i, d]) => (globalThis as unknown as PageHooks).__standInPortPost(i, d), [
            id,
            data,
          ] as const),
        );
    }
    this.inPage((page) =>
      page.evaluate(([c, p, m]) => (globalThis as unknown as PageHooks).__standInDeliver(c, p, m), [
        channel,
        portId,
        message,
      ] as const),
    );
  }

  /** The page's document went away: the ports it held are gone with it. */
  dropPagePorts(): void {
    for (const port of this.pagePorts) port.close();
    this.pagePorts.clear();
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  markDestroyed(): void {
    this.dropPagePorts();
    this.destroyed = true;
    this.emit('destroyed');
  }

  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    const verdict = handler({ url: 'https://example.invalid/' } as Parameters<typeof handler>[0]);
    report(`window.open handler answers ${verdict.action}`);
  }
}

const portsById = new Map<number, StandInPort>();

export class BrowserWindow
  extends EventEmitter
  implements
    Pick<
      Electron.BrowserWindow,
      'show' | 'maximize' | 'isMaximized' | 'getNormalBounds' | 'isDestroyed' | 'loadFile' | 'loadURL'
    >
{
  private static readonly open = new Set<BrowserWindow>();
  readonly webContents: StandInWebContents;
  private readonly ready: Promise<void>;
  private bounds: Electron.Rectangle;
  private maximized = false;
  private destroyed = false;

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    const prefs = options.webPreferences ?? {};
    report(
      `window webPreferences: contextIsolation=${prefs.contextIsolation} sandbox=${prefs.sandbox} ` +
        `nodeIntegration=${prefs.nodeIntegration} webviewTag=${prefs.webviewTag}`,
    );
    this.bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    report(`window opens at ${this.bounds.width}x${this.bounds.height}`);
    BrowserWindow.open.add(this);
    this.ready = this.createPage(prefs.preload);
    this.webContents = new StandInWebContents(this.ready);
  }

  private async createPage(preloadPath: string | undefined): Promise<void> {
    if (!context) throw new Error('BrowserWindow created before app.whenReady()');
    const page = await context.newPage();
    this.webContents.page = page;
    await page.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
    await page.exposeBinding('__standInIpc', ({ frame }, channel: string, args: unknown[]) => {
      const event = { sender: this.webContents, senderFrame: frameOf(frame), ports: [], processId: 1 };
      ipcMain.emit(channel, event, ...args);
    });
    await page.exposeBinding('__standInPort', (_source, portId: number, data: unknown) => {
      // Messages the page posts on its end arrive at the main process's end.
      portsById.get(portId)?.peer?.deliver(data);
    });
    await page.exposeBinding('__standInBounds', (_source, width: number, height: number) => {
      this.bounds = { ...this.bounds, width, height };
      report(`window resized to ${width}x${height}`);
    });
    await page.exposeBinding('__standInMenu', (_source, path: string[], answer: string[] | null) =>
      clickMenuItem(path, answer, this),
    );
    if (preloadPath)
      await page.addInitScript({
        content: pageInitScript(readFileSync(preloadPath, 'utf8'), ACK_MESSAGE_TEXT),
      });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) {
        this.webContents.dropPagePorts();
        this.webContents.emit('did-start-navigation', {
          isMainFrame: true,
          isSameDocument: false,
          url: frame.url(),
        });
      }
    });
    page.on('close', () => this.destroy());
  }

  private destroy(): void {
    if (this.destroyed) return;
    this.emit('close', { preventDefault: () => undefined });
    this.destroyed = true;
    this.webContents.markDestroyed();
    this.emit('closed');
    BrowserWindow.open.delete(this);
    if (BrowserWindow.open.size === 0) app.emit('window-all-closed');
  }

  async loadFile(filePath: string): Promise<void> {
    await this.loadURL(pathToFileURL(filePath).href);
  }

  async loadURL(url: string): Promise<void> {
    await this.ready;
    await this.webContents.page?.goto(url);
    this.emit('ready-to-show');
  }

  show(): void {
    report('window shown');
  }

  maximize(): void {
    this.maximized = true;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getNormalBounds(): Electron.Rectangle {
    return { ...this.bounds };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  static closeAll(): void {
    for (const win of BrowserWindow.open) win.destroy();
  }
}

class StandInIpcMain extends EventEmitter {
  override on(channel: string, listener: (event: Electron.IpcMainEvent, ...args: unknown[]) => void): this {
    return super.on(channel, listener);
  }
}
export const ipcMain = new StandInIpcMain();

const permissionHandlers: { check?: (permission: string) => boolean } = {};
export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(
        listener: (
          details: Electron.OnHeadersReceivedListenerDetails,
          callback: (response: Electron.HeadersReceivedResponse) => void,
        ) => void,
      ) {
        // file:// responses have no headers to rewrite here; show what the app would set on them.
        listener({ responseHeaders: {} } as Electron.OnHeadersReceivedListenerDetails, (response) => {
          const csp = response.responseHeaders?.['Content-Security-Policy'];
          report(`response CSP: ${Array.isArray(csp) ? csp.join(' ') : String(csp)}`);
        });
      },
    },
    setPermissionRequestHandler(handler: Parameters<Electron.Session['setPermissionRequestHandler']>[0]) {
      handler?.(
        {} as Electron.WebContents,
        'notifications',
        (granted) => report(`permission request notifications: ${granted ? 'granted' : 'denied'}`),
        {} as Electron.PermissionRequest,
      );
    },
    setPermissionCheckHandler(handler: Parameters<Electron.Session['setPermissionCheckHandler']>[0]) {
      permissionHandlers.check = (permission) =>
        handler?.(
          null,
          permission as 'notifications',
          '',
          {} as Electron.PermissionCheckHandlerHandlerDetails,
        ) ?? true;
      report(
        `permission check notifications: ${permissionHandlers.check('notifications') ? 'granted' : 'denied'}`,
      );
    },
  },
};

class StandInApp
  extends EventEmitter
  implements
    Pick<
      Electron.App,
      'whenReady' | 'quit' | 'exit' | 'getAppPath' | 'getPath' | 'enableSandbox' | 'isPackaged'
    >
{
  readonly isPackaged = false;
  readonly commandLine = {
    appendSwitch: (name: string, value?: string) => report(`switch --${name}${value ? `=${value}` : ''}`),
  } satisfies Pick<Electron.CommandLine, 'appendSwitch'>;
  private ready: Promise<void> | null = null;
  private exiting = false;

  enableSandbox(): void {
    report('sandbox enabled for every renderer');
  }

  getAppPath(): string {
    return config.appPath;
  }

  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    if (name !== 'userData') throw new Error(`stand-in: app.getPath('${name}') is not modelled`);
    return config.userDataDir;
  }

  whenReady(): Promise<void> {
    this.ready ??= (async () => {
      context = await chromium.launchPersistentContext(join(config.userDataDir, 'chromium-profile'), {
        executablePath: config.chromiumPath,
        // Electron's file: protocol serves the built page's module scripts; plain Chromium needs this flag.
        args: [...CHROMIUM_FLAGS, '--allow-file-access-from-files', '--remote-debugging-port=0'],
        headless: true,
        viewport: null,
      });
      const port = readFileSync(
        join(config.userDataDir, 'chromium-profile', 'DevToolsActivePort'),
        'utf8',
      ).split('\n')[0];
      report(`cdp http://127.0.0.1:${port}`);
      this.emit('ready');
    })();
    return this.ready;
  }

  /** As Electron: 'before-quit' (which may be prevented), then the windows close and the process ends. */
  quit(): void {
    let prevented = false;
    this.emit('before-quit', {
      preventDefault: () => {
        prevented = true;
      },
    });
    if (!prevented) this.exit(0);
  }

  exit(exitCode = 0): void {
    if (this.exiting) return;
    this.exiting = true;
    report(`exit ${exitCode}`);
    BrowserWindow.closeAll();
    const closing = context?.close() ?? Promise.resolve();
    void Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5000))]).finally(() =>
      process.exit(exitCode),
    );
  }
}

export const app = new StandInApp();

type MenuTemplate = Electron.MenuItemConstructorOptions[];

/** The application menu as the app built it (its template: what a test clicks through). */
class StandInMenu {
  constructor(readonly template: MenuTemplate) {}
}

let applicationMenu: StandInMenu | null = null;

export const Menu = {
  buildFromTemplate(template: Parameters<typeof Electron.Menu.buildFromTemplate>[0]): StandInMenu {
    const items = template as MenuTemplate;
    report(`menu: ${items.map((item) => item.label ?? item.role).join(', ')}`);
    return new StandInMenu(items);
  },
  setApplicationMenu(menu: StandInMenu | null): void {
    applicationMenu = menu;
  },
};

/** The files the next open dialogs answer with, in order (a test sets them with the click that opens one). */
const dialogAnswers: string[][] = [];

export const dialog = {
  async showOpenDialog(
    ...args: [Electron.BaseWindow, Electron.OpenDialogOptions] | [Electron.OpenDialogOptions]
  ): Promise<Electron.OpenDialogReturnValue> {
    const options = args.length === 2 ? args[1] : args[0];
    report(`open dialog "${options.title}" (${(options.properties ?? []).join(', ')})`);
    const paths = dialogAnswers.shift();
    return paths ? { canceled: false, filePaths: paths } : { canceled: true, filePaths: [] };
  },
};

/** Clicks the application menu's item at `path` (labels), as a user would; `answer` is what a dialog it opens returns. */
function clickMenuItem(path: string[], answer: string[] | null, win: BrowserWindow): void {
  let items: MenuTemplate = applicationMenu?.template ?? [];
  let item: Electron.MenuItemConstructorOptions | undefined;
  for (const label of path) {
    item = items.find((i) => i.label === label);
    if (!item) throw new Error(`stand-in: no menu item "${path.join(' → ')}"`);
    items = Array.isArray(item.submenu) ? item.submenu : [];
  }
  if (!item?.click) throw new Error(`stand-in: menu item "${path.join(' → ')}" does nothing`);
  if (answer) dialogAnswers.push(answer);
  report(`menu click ${path.join(' → ')}`);
  item.click(
    item as unknown as Electron.MenuItem,
    win as unknown as Electron.BaseWindow,
    {} as Electron.KeyboardEvent,
  );
}
