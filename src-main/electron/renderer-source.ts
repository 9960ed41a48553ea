import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the window's page comes from: the built renderer, or (unpackaged dev runs only) Vite's dev server. */
export type RendererSource =
  | { kind: 'file'; indexPath: string }
  | { kind: 'dev'; url: string; origin: string };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The built `out/renderer/index.html`, unless a dev server URL is given. Only a loopback http(s) dev URL
 * is honoured, so the variable can never point the app at a remote page.
 */
export function resolveRendererSource(outDir: string, devUrl: string | undefined): RendererSource {
  if (devUrl) {
    try {
      const url = new URL(devUrl);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname)) {
        return { kind: 'dev', url: url.href, origin: url.origin };
      }
    } catch {
      // Not a URL: fall back to the built files.
    }
  }
  return { kind: 'file', indexPath: join(outDir, 'renderer', 'index.html') };
}

/** Whether a frame URL is our renderer's page (query and hash aside). */
export function isRendererUrl(source: RendererSource, frameUrl: string): boolean {
  try {
    const url = new URL(frameUrl);
    if (source.kind === 'dev') return url.origin === source.origin;
    return url.protocol === 'file:' && fileURLToPath(url) === source.indexPath;
  } catch {
    return false;
  }
}
