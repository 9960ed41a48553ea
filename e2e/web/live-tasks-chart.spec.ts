import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, test as plain } from '@playwright/test';
import { freePort } from '../../src-main/core/testing/free-port';
import { LoopbackClient, sleep } from '../../src-main/core/testing/loopback-client';
import { exited, runCli, waitFor } from '../fixtures/cli-process';
import { collectPageErrors } from '../fixtures/page-errors';
import { scrubTo } from '../fixtures/replay-scrubber';
import { snap } from '../fixtures/screenshots';
import { expect, startFromUi, test } from '../fixtures/web-host';

/** The chart's newest counts, as its data attributes expose them. */
async function chartCounts(page: Page): Promise<{ running: number; dangling: number }> {
  const chart = page.getByTestId('live-tasks-chart');
  return {
    running: Number(await chart.getAttribute('data-running')),
    dangling: Number(await chart.getAttribute('data-dangling')),
  };
}

test('the timeline charts live tasks: running while clients are open, failed-dangling after a crash, none after Stop', async ({
  page,
  webHost,
}, testInfo) => {
  // Retained: a failed task is kept, so its connection dangles until Stop.
  await startFromUi(page, webHost, 'retained');
  await page.getByTestId('tab-clients').click();
  await page.getByTestId('client-count').fill('3');
  await page.getByTestId('client-open').click();
  await expect(page.getByTestId('client-row')).toHaveCount(3);
  await page.getByTestId('client-row').first().getByTestId('client-send-crash').click();
  await expect(page.getByTestId('counter-failed')).toHaveText('1');

  // Sampled in the background: the chart opens with the history so far.
  await page.getByTestId('tab-timeline').click();
  const chart = page.getByTestId('live-tasks-chart');
  await expect(chart).toHaveAttribute('data-running', '2');
  await expect(chart).toHaveAttribute('data-dangling', '1');
  await expect(chart).toHaveAttribute(
    'aria-label',
    /^Live tasks over time: running 2, failed-dangling 1 at \d\d:\d\d:\d\d$/,
  );
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /running 2, failed-dangling 1/);
  await expect(chart.locator('canvas')).toHaveCount(1);
  await snap(page, testInfo, 'live-tasks-chart-live');

  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-phase', 'idle');
  await expect(chart).toHaveAttribute('data-running', '0');
  await expect(chart.getByTestId('live-tasks-value')).toContainText('running 0');
});

plain(
  'in a replay the chart follows the scrubber and agrees with the counters at every moment',
  async ({ page }, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'echoscope-chart-'));
    const file = join(dir, 'session.ndjson');
    const children: ChildProcess[] = [];
    const clients: LoopbackClient[] = [];
    const errors = collectPageErrors(page);
    try {
      // Recorded: three clients for a second, one crashes (its connection dangles), a second later stop.
      const port = await freePort();
      const serve = runCli(['serve', '--record', file, '--port', String(port), '--policy', 'retained']);
      children.push(serve.child);
      await waitFor(serve.output, /Echo server listening on/);
      for (let i = 0; i < 3; i++) clients.push(await LoopbackClient.open(port));
      await sleep(1_000);
      clients[0]!.write('boom\n');
      await sleep(1_000);
      serve.child.kill('SIGINT');
      await exited(serve.child);

      const web = runCli(['web', '--replay', file, '--port', '0']);
      children.push(web.child);
      await page.goto((await waitFor(web.output, /Echoscope dashboard: (\S+)/))[1]!);
      await page.getByTestId('tab-timeline').click();
      const chart = page.getByTestId('live-tasks-chart');
      await expect(chart).toHaveAttribute('data-running', '0');

      const max = Number(await page.getByTestId('replay-scrubber').getAttribute('max'));
      // At each moment the chart's newest point is what the counter strip shows then.
      for (const fraction of [0.3, 0.75, 1]) {
        await scrubTo(page, Math.round(max * fraction));
        // The strip paints once per animation frame: read it after two, not the previous moment's value.
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        const live = page.getByTestId('counter-live');
        const dangling = page.getByTestId('counter-dangling');
        await expect(chart).toHaveAttribute('data-running', (await live.textContent())!.trim());
        await expect(chart).toHaveAttribute('data-dangling', (await dangling.textContent())!.trim());
        if (fraction === 0.75) {
          expect(await chartCounts(page)).toEqual({ running: 2, dangling: 1 });
          await snap(page, testInfo, 'live-tasks-chart-replay');
        }
      }
      expect(await chartCounts(page)).toEqual({ running: 0, dangling: expect.any(Number) });
      expect(errors).toEqual([]);
    } finally {
      for (const c of clients) c.destroy();
      for (const child of children) if (child.exitCode === null) child.kill('SIGINT');
      await Promise.all(children.map(exited));
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
