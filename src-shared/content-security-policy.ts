/** What a host adds to the strict base Content-Security-Policy of the renderer. */
export interface CspOptions {
  /** Extra `connect-src` sources, e.g. the browser host's own `ws://127.0.0.1:8080` (older browsers do not match ws: with 'self'). */
  connect?: readonly string[];
  /**
   * Vite's dev server (Electron dev mode only) injects inline scripts and styles (React refresh, CSS hot
   * reload) and talks to its own WebSocket; never set for built files.
   */
  devServerOrigin?: string;
}

/** The one Content-Security-Policy every host serves the renderer with: nothing but its own files. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServerOrigin;
  const devWs = dev ? dev.replace(/^http/, 'ws') : undefined;
  const connect = ["'self'", ...(options.connect ?? []), ...(devWs ? [devWs] : [])];
  const inline = dev ? " 'unsafe-inline'" : '';
  return [
    "default-src 'self'",
    `connect-src ${connect.join(' ')}`,
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
