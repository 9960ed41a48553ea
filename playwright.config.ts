import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './e2e/fixtures/chromium';

// Three projects: the browser host in Chromium (runs everywhere; which one: e2e/fixtures/chromium.ts); the
// real desktop main process on the Electron stand-in (runs everywhere); and the real Electron app (runs
// where an Electron binary exists, skipped with a printed reason elsewhere).
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure', viewport: { width: 1440, height: 900 } },
  projects: [
    {
      name: 'web',
      testMatch: /web\/.*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS },
      },
    },
    // The real desktop main process on the Electron stand-in (runs everywhere).
    { name: 'desktop', testMatch: /desktop\/.*\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
});
