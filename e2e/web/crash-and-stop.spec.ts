import { snap } from '../fixtures/screenshots';
import { connect, expect, freePort, roundTrip, row, startFromUi, test } from '../fixtures/web-host';

test('boom crashes one task while the others keep echoing; Stop cancels every live task at its await point', async ({
  page,
  webHost,
  clients,
}, testInfo) => {
  const port = await startFromUi(page, webHost, 'handled');
  await snap(page, testInfo, '01-listening');

  const a = await connect(clients, port);
  const b = await connect(clients, port);
  const victim = await connect(clients, port);
  await expect(page.getByTestId('task-row')).toHaveCount(3);
  await roundTrip(a, 'hello from a\n');
  await roundTrip(victim, 'about to explode\n');
  await expect(row(page, 1)).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('counter-live')).toContainText('3');

  victim.write('boom\r\n');
  await victim.untilEnded();
  await expect(row(page, 3)).toHaveAttribute('data-state', 'failed');
  // Legible without a click: the row says how the task ended, a notice announces the crash, and the
  // detail pane follows it with its error and stack.
  await expect(row(page, 3).getByTestId('task-outcome')).toHaveText('Unexpected network error');
  await expect(page.getByTestId('crash-notice')).toContainText('Task #3 failed: Unexpected network error');
  await expect(page.getByTestId('task-detail')).toHaveAttribute('data-task-id', '3');
  await expect(page.getByTestId('detail-following')).toBeVisible();
  await expect(page.getByTestId('detail-error')).toContainText('Unexpected network error');
  // Source-mapped: the stack points at the task's TypeScript source, not a bundled chunk.
  await expect(page.getByTestId('detail-stack')).toContainText('connection-task.ts');
  await expect(row(page, 1).getByTestId('task-outcome')).toHaveText('');
  await snap(page, testInfo, '02-crashed-handled');

  // The notice links to its task: the row is selected, and the pane stays on it rather than following.
  await page.getByTestId('crash-notice-show').click();
  await expect(row(page, 3)).toHaveClass(/selected/);
  await expect(page.getByTestId('detail-following')).toHaveCount(0);
  await expect(page.getByTestId('task-detail')).toHaveAttribute('data-task-id', '3');
  await row(page, 2).click();
  await expect(page.getByTestId('task-detail')).toHaveAttribute('data-task-id', '2');

  // The others keep echoing, and the server keeps accepting.
  await roundTrip(a, 'still here\n');
  await roundTrip(b, 'me too\n');
  await expect(row(page, 1)).toHaveAttribute('data-state', 'running');
  await expect(row(page, 2)).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('counter-failed')).toContainText('1');

  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  for (const id of [1, 2]) {
    await expect(row(page, id)).toHaveAttribute('data-state', 'cancelled');
    await expect(row(page, id)).toContainText('at recv');
    await expect(row(page, id).getByTestId('task-outcome')).toHaveText('cancelled at recv (stop)');
  }
  // The user picked task 2, so the pane stayed there through the stop.
  await expect(page.getByTestId('task-detail')).toHaveAttribute('data-task-id', '2');
  await expect(row(page, 3)).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('counter-cancelled')).toContainText('2');
  await Promise.all([a.untilEnded(), b.untilEnded()]);
  await snap(page, testInfo, '03-stopped');
});

test('a port already in use is reported clearly and nothing else is lost', async ({
  page,
  webHost,
  clients,
}) => {
  const port = await freePort();
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
  try {
    await page.goto(webHost.url);
    await page.getByTestId('field-port').fill(String(port));
    await page.getByTestId('start-button').click();
    await expect(page.getByTestId('server-error')).toHaveText(`Port ${port} is already in use`);
    await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  } finally {
    await new Promise((r) => blocker.close(r));
  }
  // The same page can start once the port is free.
  await page.getByTestId('start-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  await expect(page.getByTestId('server-error')).toHaveCount(0);
  const c = await connect(clients, port);
  await roundTrip(c, 'works now\n');
  await page.getByTestId('stop-button').click();
});

test('a page reload resyncs every row from the snapshot', async ({ page, webHost, clients }) => {
  // Retained: the failed task dangles until Stop whatever the collector does (under `unhandled`, any
  // collection, the snapshot's own allocations included, may end the dangling before the reload).
  const port = await startFromUi(page, webHost, 'retained');
  const a = await connect(clients, port);
  const victim = await connect(clients, port);
  await roundTrip(a, 'before reload\n');
  victim.write('boom\n');
  await expect(row(page, 2)).toHaveAttribute('data-state', 'failed');

  await page.reload();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  await expect(row(page, 1)).toHaveAttribute('data-state', 'running');
  await expect(row(page, 2)).toHaveAttribute('data-state', 'failed');
  await expect(row(page, 2)).toHaveAttribute('data-dangling', 'true');
  await expect(page.getByTestId('counter-accepted')).toContainText('2');
  // The snapshot brings the crash back: announced, followed, and the row's outcome in words.
  await expect(page.getByTestId('crash-notice')).toHaveAttribute('data-task-id', '2');
  await expect(page.getByTestId('crash-notice')).toContainText('left dangling');
  await expect(page.getByTestId('task-detail')).toHaveAttribute('data-task-id', '2');
  await expect(row(page, 2).getByTestId('task-outcome')).toHaveText('Unexpected network error');
  // And it keeps streaming after the resync.
  const late = await connect(clients, port);
  await roundTrip(late, 'after reload\n');
  await expect(row(page, 3)).toHaveAttribute('data-state', 'running');
  await page.getByTestId('stop-button').click();
  await expect(row(page, 1)).toHaveAttribute('data-state', 'cancelled');
});
