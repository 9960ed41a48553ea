import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { LoopbackClient } from '../../src-main/core/testing/loopback-client';
import { snap } from '../fixtures/screenshots';
import { roundTrip, row } from '../fixtures/web-host';
import { crashAndStop, startServer } from './desktop-flows';
import { type DesktopApp, launchDesktopStandIn, newUserDataDir } from './desktop-host';

test.beforeAll(() => {
  console.log(
    '[desktop] running the real desktop main process (out/main, out/preload, out/renderer) on the Electron stand-in: ' +
      "Electron's own APIs are replaced by e2e/desktop/stand-in, typed against electron.d.ts; the real Electron runs in the electron project where a binary exists",
  );
});

const clients: LoopbackClient[] = [];
let app: DesktopApp | null = null;

test.afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await app?.dispose();
  app = null;
});

async function connect(port: number): Promise<LoopbackClient> {
  const c = await LoopbackClient.open(port);
  clients.push(c);
  return c;
}

test('the desktop window runs the app: boom fails one task while the others echo, Stop cancels the rest at recv', async ({}, testInfo) => {
  app = await launchDesktopStandIn(newUserDataDir());
  expect(app.output()).toContain('contextIsolation=true sandbox=true nodeIntegration=false');
  await crashAndStop(app.page, clients);
  await snap(app.page, testInfo, 'desktop-01-stopped');
});

test('a session request from a frame that is not the app page is refused', async () => {
  app = await launchDesktopStandIn(newUserDataDir());
  const { page } = app;
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { body: { appendChild(n: unknown): void }; createElement(t: string): unknown };
      }
    ).document;
    doc.body.appendChild(doc.createElement('iframe'));
  });
  const frame = await expect
    .poll(() => page.frames().find((f) => f.parentFrame() !== null) ?? null)
    .not.toBeNull()
    .then(() => page.frames().find((f) => f.parentFrame() !== null)!);
  await frame.evaluate(() =>
    (globalThis as unknown as { __standInIpc(c: string, a: unknown[]): void }).__standInIpc(
      'session:open',
      [],
    ),
  );
  await expect
    .poll(() => app?.output() ?? '')
    .toContain("refused a session to a frame that is not the app's page");
  // The app's own session is untouched.
  await startServer(page, 'handled');
});

/** The stand-in's page-side test controls (see stand-in/page-bridge.ts). */
type StandInControl = { holdAcks(on: boolean): void; commandsSent(): string[] };
const control = (page: Page) => ({
  holdAcks: (on: boolean) =>
    page.evaluate(
      (o) => (globalThis as unknown as { __standInControl: StandInControl }).__standInControl.holdAcks(o),
      on,
    ),
  commandsSent: () =>
    page.evaluate(() =>
      (globalThis as unknown as { __standInControl: StandInControl }).__standInControl.commandsSent(),
    ),
});

const counter = async (page: Page, id: string): Promise<number> =>
  Number((await page.getByTestId(`counter-${id}`).textContent())?.replace(/\D/g, '') ?? 'NaN');

test('a page that stops acknowledging gets counted drops, then resyncs from a snapshot', async () => {
  app = await launchDesktopStandIn(newUserDataDir());
  const { page } = app;
  const port = await startServer(page, 'handled');
  await control(page).holdAcks(true);

  // 2,000 connections that echo one line each make about 10,000 events, 4,000 of them data events: a
  // held batch keeps lifecycle events up to the hard limit, but data events only up to 5,000 in all.
  const total = 2000;
  for (let done = 0; done < total; done += 100) {
    const batch = await Promise.all(Array.from({ length: 100 }, () => LoopbackClient.open(port)));
    for (const c of batch) c.write('hello\n');
    await Promise.all(batch.map((c) => c.untilReceived(6)));
    for (const c of batch) c.socket.end();
    await Promise.all(batch.map((c) => c.untilEnded()));
  }
  // The page applied only what came before the window filled.
  expect(await counter(page, 'accepted')).toBeLessThan(total);
  const snapshotsBefore = (await control(page).commandsSent()).filter((n) => n === 'snapshot').length;

  await control(page).holdAcks(false);
  await expect.poll(() => counter(page, 'accepted')).toBe(total);
  await expect.poll(() => counter(page, 'completed')).toBe(total);
  expect(await counter(page, 'dropped')).toBeGreaterThan(0);
  await expect
    .poll(async () => (await control(page).commandsSent()).filter((n) => n === 'snapshot').length)
    .toBeGreaterThan(snapshotsBefore);
  await expect(page.getByTestId('dropped-notice')).toBeVisible();
});

test('quitting runs the graceful stop and reports the retained warnings; the window size survives a restart', async () => {
  const userData = newUserDataDir();
  app = await launchDesktopStandIn(userData);
  const { page } = app;
  expect(app.output()).toContain('window opens at 1280x820');
  await page.setViewportSize({ width: 1100, height: 700 });
  await expect.poll(() => app?.output() ?? '').toContain('window resized to 1100x700');

  const port = await startServer(page, 'retained');
  const victim = await connect(port);
  const bystander = await connect(port);
  await roundTrip(bystander, 'hello\n');
  victim.write('boom\r\n');
  await expect(row(page, 1)).toHaveAttribute('data-state', 'failed');
  // Retained: no warning yet, the connection dangles.
  expect(app.output()).not.toContain('never retrieved');

  await page.close();
  expect(await app.exited).toBe(0);
  expect(app.output()).toMatch(
    /Task exception was never retrieved \(task 1\)\nError: Unexpected network error/,
  );
  await Promise.all([victim.untilEnded(), bystander.untilEnded()]);
  expect(app.output().indexOf('never retrieved')).toBeLessThan(app.output().indexOf('stand-in: exit 0'));
  await app.dispose();

  app = await launchDesktopStandIn(userData);
  expect(app.output()).toContain('window opens at 1100x700');
  expect(await app.page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(
    1100,
  );
});
