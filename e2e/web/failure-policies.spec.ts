import { snap } from '../fixtures/screenshots';
import { connect, expect, roundTrip, row, startFromUi, test } from '../fixtures/web-host';

test('unhandled, collected like CPython (the default): the warning and EOF come at once, no click', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await startFromUi(page, webHost, 'unhandled');
  await expect(page.getByTestId('field-collection')).toHaveValue('cpython');
  await expect(page.getByTestId('collection-explanation')).toContainText('Collected like CPython');
  const other = await connect(clients, port);
  const victim = await connect(clients, port);
  await roundTrip(victim, 'hello\n');
  victim.write('boom\n');
  await victim.untilEnded(2000);
  expect(victim.error).toBeNull();
  await expect(row(page, 2)).toHaveAttribute('data-state', 'failed');
  await expect(row(page, 2)).toHaveAttribute('data-dangling', 'false');
  await expect(page.getByTestId('counter-unretrieved')).toContainText('1');
  await page.getByTestId('tab-warnings').click();
  await expect(page.getByTestId('warning-row')).toHaveCount(1);
  await expect(page.getByTestId('warning-row').first()).toHaveAttribute('data-via', 'gc');
  await snap(page, testInfo, '04-unhandled-cpython');
  await roundTrip(other, 'unaffected\n');
  await page.getByTestId('stop-button').click();
});

test('unhandled, collected like V8: the crashed task dangles until "Collect garbage now", then the warning and EOF', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await startFromUi(page, webHost, 'unhandled', 'v8');
  await expect(page.getByTestId('policy-explanation')).toContainText('garbage-collected');
  await expect(page.getByTestId('collection-explanation')).toContainText('Collected like V8');
  const other = await connect(clients, port);
  const victim = await connect(clients, port);
  victim.write('boom\n');
  await expect(row(page, 2)).toHaveAttribute('data-state', 'failed');
  // The engine's word at the moment of failure: under V8 the connection is left dangling.
  await page.getByTestId('tab-log').click();
  await expect(
    page.locator('[data-testid="log-row"][data-kind="failed"]').filter({ hasText: 'task 2' }),
  ).toContainText('connection left dangling');
  // V8 decides when to collect: a minor collection of the host's young heap can free the task before
  // the click (seen once in CI). Then the warning and EOF came by themselves, as V8 would have it.
  await page.waitForTimeout(300);
  const collectedByV8 = victim.ended || victim.closed;
  if (collectedByV8) {
    testInfo.annotations.push({
      type: 'note',
      description: 'V8 collected the failed task before "Collect garbage now" was clicked',
    });
  } else {
    await page.getByTestId('tab-warnings').click();
    await expect(row(page, 2)).toHaveAttribute('data-dangling', 'true');
    await expect(page.getByTestId('counter-dangling')).toContainText('1');
    await expect(page.getByTestId('warning-row')).toHaveCount(0);
    await snap(page, testInfo, '04-unhandled-v8-dangling');
    await page.getByTestId('gc-button').click();
    await expect(page.getByTestId('gc-result')).toContainText('1');
  }
  await victim.untilEnded();
  await expect(row(page, 2)).toHaveAttribute('data-dangling', 'false');
  await page.getByTestId('tab-warnings').click();
  await expect(page.getByTestId('warning-row')).toHaveCount(1);
  await expect(page.getByTestId('warning-row').first()).toHaveAttribute('data-via', 'gc');
  await expect(page.getByTestId('warning-message')).toContainText('Unexpected network error');
  await snap(page, testInfo, '05-unhandled-v8-collected');
  await roundTrip(other, 'unaffected\n');
  await page.getByTestId('stop-button').click();
});

test('retained: nothing until Stop, then one warning per failed task and the connection closed', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await startFromUi(page, webHost, 'retained');
  const other = await connect(clients, port);
  const victim = await connect(clients, port);
  victim.write('boom\n');
  await expect(row(page, 2)).toHaveAttribute('data-state', 'failed');
  await expect(row(page, 2)).toHaveAttribute('data-dangling', 'true');
  await page.waitForTimeout(300);
  expect(victim.ended || victim.closed).toBe(false);
  await expect(page.getByTestId('counter-unretrieved')).toContainText('0');
  await roundTrip(other, 'unaffected\n');

  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await victim.untilEnded();
  await expect(page.getByTestId('counter-unretrieved')).toContainText('1');
  await page.getByTestId('tab-warnings').click();
  await expect(page.getByTestId('warning-row')).toHaveCount(1);
  await expect(page.getByTestId('warning-row').first()).toHaveAttribute('data-via', 'shutdown');
  await expect(row(page, 1)).toHaveAttribute('data-state', 'cancelled');
  await snap(page, testInfo, '06-retained-stopped');
});

test('handled: the client sees EOF at once and no warning ever appears', async ({
  page,
  webHost,
  clients,
}) => {
  const port = await startFromUi(page, webHost, 'handled');
  const victim = await connect(clients, port);
  victim.write('boom\n');
  await victim.untilEnded(3000);
  await expect(row(page, 1)).toHaveAttribute('data-state', 'failed');
  await expect(row(page, 1)).toHaveAttribute('data-dangling', 'false');
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('counter-unretrieved')).toContainText('0');
});
