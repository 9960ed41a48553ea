import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** The Electron binary's path, or why this machine has none. */
function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(__filename)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
  } catch {
    // Fall through: the package is there but its binary was never downloaded.
  }
  return {
    reason: 'no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD or no network at install)',
  };
}

const binary = electronBinary();
if ('reason' in binary) console.log(`[electron project] skipped: ${binary.reason}`);

test('the desktop app launches, starts the server and shows a task', async () => {
  test.skip('reason' in binary, 'reason' in binary ? binary.reason : '');
  const app = await electron.launch({
    executablePath: (binary as { path: string }).path,
    args: ['--js-flags=--expose-gc', resolve(__dirname, '../..')],
  });
  try {
    const page = await app.firstWindow();
    await page.getByTestId('field-port').fill('0');
    await page.getByTestId('start-button').click();
    await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
    await expect(page.getByTestId('api-host')).toContainText(/electron/i);
    await page.getByTestId('stop-button').click();
    await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  } finally {
    await app.close();
  }
});
