import { snap } from '../fixtures/screenshots';
import { connect, expect, roundTrip, row, startFromUi, test } from '../fixtures/web-host';

test('Cancel task and Close connection act on one task from its detail pane', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await startFromUi(page, webHost, 'handled');
  const toCancel = await connect(clients, port);
  const toClose = await connect(clients, port);
  const bystander = await connect(clients, port);
  await roundTrip(toCancel, 'cancel me\n');
  await expect(row(page, 3)).toHaveAttribute('data-state', 'running');

  await row(page, 1).click();
  await expect(page.getByTestId('detail-transcript')).toContainText('cancel me');
  await page.getByTestId('cancel-task').click();
  await expect(row(page, 1)).toHaveAttribute('data-state', 'cancelled');
  await expect(row(page, 1)).toContainText('at recv');
  await expect(page.getByTestId('detail-cancel-reason')).toContainText('user');
  await toCancel.untilEnded();
  await expect(page.getByTestId('cancel-task')).toBeDisabled();

  await row(page, 2).click();
  await page.getByTestId('close-connection').click();
  await toClose.untilEnded();
  // The server closed the socket: the task read EOF and completed.
  await expect(row(page, 2)).toHaveAttribute('data-state', 'completed');
  await expect(page.getByTestId('detail-socket')).toContainText('user');
  await snap(page, testInfo, '08-task-actions');

  await roundTrip(bystander, 'untouched\n');
  await expect(row(page, 3)).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('counter-cancelled')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('counter-completed')).toHaveAttribute('data-value', '1');
  await page.getByTestId('stop-button').click();
  await expect(row(page, 3)).toHaveAttribute('data-state', 'cancelled');
});
