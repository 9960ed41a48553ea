import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppRoot, createAppRoot } from '../../core/app-root';
import { startWebHost, type WebHost } from '../web-host';

/** A browser host over a real engine, serving a stand-in renderer from a temporary directory. */
export interface TestWebHost {
  root: AppRoot;
  host: WebHost;
  /** The temporary directory; the renderer is its `renderer/` (index.html and assets/app.js). */
  dir: string;
  rendererDir: string;
  /** This host's own Origin, as a page served by it sends. */
  origin: string;
  /** The WebSocket URL with the token. */
  wsUrl: string;
  /** Closes the host, stops the engine if it runs, removes the directory. */
  close(): Promise<void>;
}

export async function startTestWebHost(): Promise<TestWebHost> {
  const dir = await mkdtemp(join(tmpdir(), 'echoscope-web-'));
  const rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Echoscope</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
  const root = createAppRoot({ gracePeriodMs: 500 });
  const host = await startWebHost({ bus: root.bus, handlers: root.handlers, rendererDir, port: 0 });
  return {
    root,
    host,
    dir,
    rendererDir,
    origin: `http://127.0.0.1:${host.port}`,
    wsUrl: `ws://127.0.0.1:${host.port}/ws?token=${host.token}`,
    close: async () => {
      await host.close();
      if (root.engine.status().phase === 'listening') await root.engine.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
