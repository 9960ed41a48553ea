/**
 * Optional evidence (UI_BENCH_PROFILE=1): a V8 CPU profile of the page's main thread over the timed
 * part of the burst, saved as .cpuprofile (open it in Chrome DevTools) and summarized by self time.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { type CpuProfile, type ProfileSummary, summarizeCpuProfile } from './cpu-profile-summary';

export async function startRendererProfile(
  page: Page,
): Promise<{ stop(path: string): Promise<ProfileSummary> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  return {
    async stop(path) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await cdp.detach().catch(() => {});
      writeFileSync(path, JSON.stringify(profile));
      return summarizeCpuProfile(profile, 15);
    },
  };
}
