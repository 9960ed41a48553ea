import { expect, type Page } from '@playwright/test';
import { LoopbackClient } from '../../src-main/core/testing/loopback-client';
import type { FailurePolicy } from '../../src-shared/events';
import { freePort, roundTrip, row } from '../fixtures/web-host';

/** Fills the control bar with a free port and `policy`, clicks Start, and resolves with the port. */
export async function startServer(page: Page, policy: FailurePolicy): Promise<number> {
  const port = await freePort();
  await page.getByTestId('field-port').fill(String(port));
  await page.getByTestId('field-policy').selectOption(policy);
  await page.getByTestId('start-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'listening');
  return port;
}

/**
 * The article's gestures in the desktop window, whatever runs it (real Electron or the stand-in):
 * Start, three clients, `boom` fails one task with its error while the others keep echoing, Stop
 * cancels the rest at recv. `clients` collects the sockets for the caller to clean up.
 */
export async function crashAndStop(page: Page, clients: LoopbackClient[]): Promise<void> {
  await expect(page.getByTestId('api-host')).toContainText(/electron/i);
  const port = await startServer(page, 'handled');
  const open = async (): Promise<LoopbackClient> => {
    const c = await LoopbackClient.open(port);
    clients.push(c);
    return c;
  };
  const a = await open();
  const b = await open();
  const victim = await open();
  await expect(page.getByTestId('task-row')).toHaveCount(3);
  await roundTrip(a, 'hello from a\n');
  victim.write('boom\r\n');
  await victim.untilEnded();
  await expect(row(page, 3)).toHaveAttribute('data-state', 'failed');
  await row(page, 3).click();
  await expect(page.getByTestId('detail-error')).toContainText('Unexpected network error');
  await roundTrip(a, 'still here\n');
  await roundTrip(b, 'me too\n');
  await expect(row(page, 1)).toHaveAttribute('data-state', 'running');

  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  for (const id of [1, 2]) {
    await expect(row(page, id)).toHaveAttribute('data-state', 'cancelled');
    await expect(row(page, id)).toContainText('at recv');
  }
  await Promise.all([a.untilEnded(), b.untilEnded()]);
}
