import { expect, type Locator, test } from '@playwright/test';
import { snap } from '../fixtures/screenshots';
import { startServer } from './desktop-flows';
import { type DesktopApp, launchDesktopStandIn, newUserDataDir } from './desktop-host';

let app: DesktopApp | null = null;

test.afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function numberIn(locator: Locator): Promise<number> {
  return Number(await locator.getAttribute('data-value'));
}

// The built main process (out/main/index.js) must find its load worker (out/main/load-worker.js) as the
// CLI does: a run that ends with a summary is the proof, since a missing worker fails the run at once.
test('the desktop app runs a load from its Load tab in its worker thread, and quitting mid-run stops it gracefully', async ({}, testInfo) => {
  app = await launchDesktopStandIn(newUserDataDir());
  const { page } = app;
  await startServer(page, 'handled');
  await page.getByTestId('tab-load').click();
  await page.getByTestId('load-connections').fill('50');
  await page.getByTestId('load-duration').fill('1');
  await page.getByTestId('load-crash-fraction').fill('0.1');
  await page.getByTestId('load-start').click();
  await expect(page.getByTestId('load-summary')).toBeVisible({ timeout: 20_000 });
  expect(await numberIn(page.getByTestId('load-summary-round-trips'))).toBeGreaterThan(0);
  expect(await numberIn(page.getByTestId('load-summary-mismatches'))).toBe(0);
  expect(await numberIn(page.getByTestId('load-summary-crashes'))).toBe(5);
  await expect(page.getByTestId('counter-failed')).toHaveText('5');
  await snap(page, testInfo, 'desktop-02-load-summary');

  // A long run, then the window closes: the quit ends the run first, then the server, and exits 0.
  await page.getByTestId('load-duration').fill('600');
  await page.getByTestId('load-crash-fraction').fill('0');
  await page.getByTestId('load-start').click();
  await expect(page.getByTestId('load-progress')).toHaveAttribute('aria-label', 'Load run 2');
  await expect
    .poll(() => numberIn(page.getByTestId('load-progress-round-trips')), { timeout: 15_000 })
    .toBeGreaterThan(0);
  const closedAt = Date.now();
  await page.close();
  expect(await app.exited).toBe(0);
  expect(Date.now() - closedAt).toBeLessThan(15_000);
});
