import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src-shared/content-security-policy';

/**
 * The built page carries the CSP itself too, so it holds even where a host's headers do not reach
 * (Electron's file://). frame-ancestors only works as a header, so it is left out of the meta tag.
 */
function cspMetaTag(): Plugin {
  const policy = contentSecurityPolicy()
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'echoscope-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

// One build for every host: out/main (Electron main + the CLI/web host), out/preload, out/renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Task stacks shown to users point at src-main/... rather than a bundled chunk.
      sourcemap: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          cli: resolve(__dirname, 'src-main/cli/main.ts'),
          // The load generator's worker thread (src-main/load/load-runner.ts finds it beside the CLI).
          'load-worker': resolve(__dirname, 'src-main/load/load-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/electron/preload.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    plugins: [react(), cspMetaTag()],
  },
});
