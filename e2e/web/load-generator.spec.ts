import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Locator, test as plain } from '@playwright/test';
import { MAX_LOAD_CONNECTIONS } from '../../src-shared/load/load-contract';
import { fixtureText } from '../../src-shared/testing/recording-fixture';
import { collectPageErrors } from '../fixtures/page-errors';
import { snap } from '../fixtures/screenshots';
import { expect, startFromUi, test } from '../fixtures/web-host';

async function numberIn(locator: Locator): Promise<number> {
  return Number(await locator.getAttribute('data-value'));
}

test('the Load tab: 200 connections, 5% crashing, 2 s — live figures, a reload mid-run, then an exact summary', async ({
  page,
  webHost,
}, testInfo) => {
  await page.goto(webHost.url);
  await page.getByTestId('tab-load').click();
  // Nothing listens yet: Start is disabled and says why.
  await expect(page.getByTestId('load-start')).toBeDisabled();
  await expect(page.getByTestId('load-reason')).toHaveText('Start the server to run a load against it.');

  await startFromUi(page, webHost, 'handled');
  await page.getByTestId('tab-load').click();
  // The form refuses what the CLI refuses, with the same words.
  await page.getByTestId('load-connections').fill(String(MAX_LOAD_CONNECTIONS + 1));
  await expect(page.getByTestId('load-form-error')).toHaveText(
    `connections must be a whole number from 1 to ${MAX_LOAD_CONNECTIONS}`,
  );
  await expect(page.getByTestId('load-start')).toBeDisabled();

  await page.getByTestId('load-connections').fill('200');
  await page.getByTestId('load-rate').fill('10');
  await page.getByTestId('load-size').fill('64');
  await page.getByTestId('load-duration').fill('2');
  await page.getByTestId('load-crash-fraction').fill('0.05');
  await expect(page.getByTestId('load-form-error')).toHaveCount(0);
  await page.getByTestId('load-start').click();

  const progress = page.getByTestId('load-progress');
  await expect(progress).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('load-stop')).toBeEnabled();
  await expect
    .poll(() => numberIn(page.getByTestId('load-progress-round-trips')), { timeout: 15_000 })
    .toBeGreaterThan(0);

  // A reload mid-run: the page asks the host and finds the same run (its figures or already its summary).
  await page.reload();
  await page.getByTestId('tab-load').click();
  await expect(page.getByTestId('load-progress')).toHaveAttribute('aria-label', 'Load run 1');
  // The form kept what was typed, so it shows the values of the run it found.
  await expect(page.getByTestId('load-connections')).toHaveValue('200');

  const summary = page.getByTestId('load-summary');
  await expect(summary).toBeVisible({ timeout: 15_000 });
  await expect(progress).toHaveAttribute('data-state', 'ended');
  await expect(page.getByTestId('load-stop')).toBeDisabled();
  expect(await numberIn(page.getByTestId('load-summary-round-trips'))).toBeGreaterThan(0);
  expect(await numberIn(page.getByTestId('load-summary-mismatches'))).toBe(0);
  expect(await numberIn(page.getByTestId('load-summary-errors'))).toBe(0);
  expect(await numberIn(page.getByTestId('load-summary-connections'))).toBe(200);
  // 5% of 200: ten crash words, each closing its connection under `handled` — the Failed counter's ten.
  const crashes = page.getByTestId('load-summary-crashes');
  expect(await numberIn(crashes)).toBe(10);
  const closed = await crashes.locator('[data-closed]').getAttribute('data-closed');
  expect(closed).toBe('10');
  await expect(page.getByTestId('counter-failed')).toHaveText(closed!);
  await expect(page.getByTestId('counter-accepted')).toHaveText('200');
  await snap(page, testInfo, '10-load-summary');
});

test('Stop ends a long run at once; the summary says it stopped early', async ({
  page,
  webHost,
}, testInfo) => {
  await startFromUi(page, webHost, 'handled');
  await page.getByTestId('tab-load').click();
  await page.getByTestId('load-connections').fill('100');
  await page.getByTestId('load-duration').fill('60');
  await page.getByTestId('load-crash-fraction').fill('0');
  await page.getByTestId('load-start').click();
  await expect
    .poll(() => numberIn(page.getByTestId('load-progress-round-trips')), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await snap(page, testInfo, '11-load-running');
  await page.getByTestId('load-stop').click();
  await expect(page.getByTestId('load-summary')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('load-progress-state')).toHaveText('Stopped early');
  await expect(page.getByTestId('load-summary')).toContainText('Stopped early after');
  expect(await numberIn(page.getByTestId('load-summary-errors'))).toBe(0);
  await snap(page, testInfo, '12-load-stopped');
});

plain(
  'in a replay the Load tab is disabled with the reason: there is no live server to load',
  async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'echoscope-load-replay-'));
    const file = join(dir, 'session.ndjson');
    writeFileSync(file, fixtureText());
    const cli = resolve(__dirname, '../../out/main/cli.js');
    const web = spawn(process.execPath, [cli, 'web', '--replay', file, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pageErrors = collectPageErrors(page);
    let output = '';
    web.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    try {
      await expect.poll(() => /Echoscope dashboard: (\S+)/.test(output), { timeout: 15_000 }).toBe(true);
      await page.goto(/Echoscope dashboard: (\S+)/.exec(output)![1]!);
      await expect(page.getByTestId('replay-bar')).toBeVisible();
      await page.getByTestId('tab-load').click();
      await expect(page.getByTestId('load-start')).toBeDisabled();
      await expect(page.getByTestId('load-reason')).toHaveText(/This is a replay of a recording/);
      expect(pageErrors).toEqual([]);
    } finally {
      web.kill('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
