import { snap } from '../fixtures/screenshots';
import { expect, row, startFromUi, test } from '../fixtures/web-host';

test('the built-in client: open connections, echo text, send the crash word — all with clicks', async ({
  page,
  webHost,
}, testInfo) => {
  await startFromUi(page, webHost, 'handled');
  await page.getByTestId('tab-clients').click();
  await page.getByTestId('client-count').fill('2');
  await page.getByTestId('client-open').click();
  await expect(page.getByTestId('client-row')).toHaveCount(2);
  await expect(page.getByTestId('task-row')).toHaveCount(2);

  const first = page.getByTestId('client-row').first();
  await first.getByTestId('client-input').fill('hello echo');
  await first.getByTestId('client-send').click();
  await expect(first.getByTestId('client-last-echo')).toContainText('hello echo');

  await first.getByTestId('client-send-crash').click();
  await expect(first.getByTestId('client-state')).toContainText(/closed|eof/i);
  const failed = page.locator('[data-testid="task-row"][data-state="failed"]');
  await expect(failed).toHaveCount(1);
  await expect(page.getByTestId('counter-live')).toContainText('1');
  await snap(page, testInfo, '07-built-in-client');
  await page.getByTestId('stop-button').click();
  await expect(page.locator('[data-testid="task-row"][data-state="cancelled"]')).toHaveCount(1);
  await expect(row(page, 1).or(row(page, 2))).toHaveCount(2);
});
