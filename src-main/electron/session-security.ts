import type { Session } from 'electron';
import { contentSecurityPolicy } from '../../src-shared/content-security-policy';
import type { RendererSource } from './renderer-source';

/**
 * Every response gets the renderer's strict Content-Security-Policy (relaxed for Vite's inline dev
 * scripts only when loading from the dev server), and every permission request (camera, notifications,
 * ...) is refused: the app needs none.
 */
export function secureSession(session: Session, source: RendererSource): void {
  const csp = contentSecurityPolicy(source.kind === 'dev' ? { devServerOrigin: source.origin } : {});
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
