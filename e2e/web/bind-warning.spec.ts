import { snap } from '../fixtures/screenshots';
import { expect, freePort, test } from '../fixtures/web-host';

test('an echo server started on every interface shows a warning next to its status; loopback shows none', async ({
  page,
  webHost,
}, testInfo) => {
  await page.goto(webHost.url);
  await page.getByTestId('field-host').fill('0.0.0.0');
  await page.getByTestId('field-port').fill(String(await freePort()));
  await page.getByTestId('start-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  await expect(page.getByTestId('bind-warning')).toHaveText(
    /every network interface \(0\.0\.0\.0\): other machines can connect to it/,
  );
  await snap(page, testInfo, '09-bind-warning');
  // The CLI hosting the page says it too.
  await expect
    .poll(() => webHost.output())
    .toContain('Warning: The echo server listens on every network interface');

  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('bind-warning')).toHaveCount(0);

  await page.getByTestId('field-host').fill('127.0.0.1');
  await page.getByTestId('start-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  await expect(page.getByTestId('bind-warning')).toHaveCount(0);
});
