/**
 * `npm run bench:ui`: the real UI under a connection storm. Starts the browser host (`echoscope web`),
 * drives its page in headless Chromium (Start from the UI), has a separate load-generator process hold
 * 10,000 connections and burst lines plus churn at them, and measures what the spec promises: the
 * engine event rate, batches per second reaching the page, frame times, scrolling the 10,000-row table,
 * exact counters, and Stop from the UI. Prints PASS/MISS per figure, writes bench/results/ui-bench.json
 * and a screenshot under load. Bounded by a hard timeout; every child process is cleaned up. Exits 0
 * when the run completed (MISSes included), 2 when it could not (timeout, crash, signal: 130).
 */
import { resolve } from 'node:path';
import type { Browser } from '@playwright/test';
import { BatchFrames } from './batch-frames';
import { launchChromium } from './headless-chromium';
import { type LoadGeneratorProcess, startLoadGenerator } from './load-generator-process';
import {
  FRAME_RECORDER,
  probeScroll,
  probeStop,
  startFrameRecording,
  stopFrameRecording,
} from './page-probes';
import { CpuMeter } from './process-cpu';
import { startRendererProfile } from './renderer-profile';
import { startRendererTrace } from './renderer-trace';
import { buildFigures, type Measurements } from './ui-bench-figures';
import type { LoadPlan } from './ui-bench-protocol';
import { fmt, percentile, printFigures, RESULTS_DIR, writeResults } from './ui-bench-report';
import {
  compareCounters,
  freePort,
  noRowRunning,
  optionalText,
  quiet,
  sleep,
  stopMsFromReport,
  until,
} from './ui-bench-steps';
import { startWebHost, type WebHostProcess } from './web-host-process';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const CONNECTIONS = env('UI_BENCH_CONNS', 10_000);
const BURST_SECONDS = env('UI_BENCH_SECONDS', 10);
const LINES_PER_SECOND = env('UI_BENCH_LINES_PER_SEC', 40_000);
const CHURN_PER_SECOND = env('UI_BENCH_CHURN_PER_SEC', 800);
const MAX_IN_FLIGHT = env('UI_BENCH_IN_FLIGHT', 1000);
const HARD_TIMEOUT_MS = env('UI_BENCH_TIMEOUT_MS', 180_000);
const PROFILE = process.env.UI_BENCH_PROFILE === '1';
/** When, in the burst, the screenshot is taken; the table is scrolled right after. */
const SCREENSHOT_AT_SHARE = 0.3;
const SCROLL_FRACTIONS = [
  0.5, 0.95, 0.1, 0.75, 0.3, 1, 0.05, 0.6, 0.85, 0.2, 0.4, 0.9, 0.15, 0.65, 0.35, 0.8, 0.25, 0.55, 0.7, 0,
];

/** Set when the run is abandoned (timeout, signal): its remaining steps may still finish, silently. */
let abandoned = false;
const log = (line: string): void => {
  if (!abandoned) console.log(`[ui-bench ${(performance.now() / 1000).toFixed(1)}s] ${line}`);
};

interface Resources {
  host?: WebHostProcess;
  browser?: Browser;
  generator?: LoadGeneratorProcess;
}
const resources: Resources = {};

async function run(): Promise<number> {
  log(`starting the browser host (${CONNECTIONS} connections, ${BURST_SECONDS} s burst)`);
  const host = await startWebHost();
  resources.host = host;
  const browser = await launchChromium();
  resources.browser = browser;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({ content: FRAME_RECORDER });
  const frames = new BatchFrames(page);
  await page.goto(host.url);

  const echoPort = await freePort();
  await page.getByTestId('field-port').fill(String(echoPort));
  await page.getByTestId('field-policy').selectOption('handled');
  await page.getByTestId('start-button').click();
  await page.locator('[data-testid="server-status"][data-phase="listening"]').waitFor({ timeout: 10_000 });
  log(`echo server listening on 127.0.0.1:${echoPort} (started from the UI; host pid ${host.child.pid})`);

  const plan: LoadPlan = {
    port: echoPort,
    connections: CONNECTIONS,
    seconds: BURST_SECONDS,
    linesPerSecond: LINES_PER_SECOND,
    churnPerSecond: CHURN_PER_SECOND,
    maxInFlight: MAX_IN_FLIGHT,
  };
  const generator = startLoadGenerator(plan);
  resources.generator = generator;
  const opened = await generator.next('opened', 90_000);
  log(
    `generator ${generator.description} (pid ${generator.child.pid}) opened ${opened.connections} connections in ${fmt(opened.ms)} ms (${opened.errors} errors)`,
  );
  await until('the page to see every connection accepted', 60_000, () =>
    (frames.latest()?.accepted ?? 0) >= opened.connections ? true : undefined,
  );
  await quiet(frames, 500, 30_000);

  // Frames are timed from the burst's start until the engine is quiet again (the page may still be
  // catching up after the generator stops); scrolling and the screenshot happen inside that window.
  const cpu = new CpuMeter(() => ({ host: host.child.pid, generator: generator.child.pid }));
  const profile = PROFILE ? await startRendererProfile(page) : null;
  const trace = PROFILE ? await startRendererTrace(browser, page) : null;
  await startFrameRecording(page);
  const burstStart = performance.now();
  cpu.start();
  generator.send({ type: 'burst' });
  const burstDone = generator.next('burst-done', BURST_SECONDS * 1000 + 30_000);
  // Awaited below; if the run is abandoned first (hard timeout), its rejection must not crash cleanup.
  burstDone.catch(() => {});
  await sleep(BURST_SECONDS * 1000 * SCREENSHOT_AT_SHARE);
  const screenshotPath = resolve(RESULTS_DIR, 'ui-bench.png');
  await page.screenshot({ path: screenshotPath });
  log('scrolling the table under load');
  const scrollLoaded = await probeScroll(page, SCROLL_FRACTIONS);
  const scrollPastBurstMs = Math.max(0, performance.now() - burstStart - BURST_SECONDS * 1000);
  const done = await burstDone;
  const cpuUse = cpu.stop();
  const burstEnd = burstStart + done.seconds * 1000;
  const burst = frames.stats(burstStart, burstEnd);
  log(
    `burst done: ${fmt(burst.eventsPerSecond)} engine events/s, ${fmt(burst.batchesPerSecond, 1)} batches/s`,
  );
  await quiet(frames, 1000, 60_000);
  const recording = await stopFrameRecording(page);
  const framesSeconds = (performance.now() - burstStart) / 1000;
  const profileSummary = profile ? await profile.stop(resolve(RESULTS_DIR, 'ui-bench.cpuprofile')) : null;
  const traceSummary = trace ? await trace.stop(resolve(RESULTS_DIR, 'ui-bench-trace.json')) : null;

  generator.send({ type: 'tally' });
  const afterBurst = await compareCounters(page, host, 30_000, log);
  const taskCount = await optionalText(page, 'task-count');
  log(`settled: ${afterBurst.mismatches.length} counter mismatches; table: ${taskCount}`);
  const scrollSettled = await probeScroll(page, SCROLL_FRACTIONS);

  const liveBeforeStop = afterBurst.engine.live;
  cpu.start();
  const stop = await probeStop(page);
  const stopCpu = cpu.stop();
  await page.locator('[data-testid="server-status"][data-phase="idle"]').waitFor({ timeout: 20_000 });
  const stopReport = await optionalText(page, 'stop-report');
  await quiet(frames, 500, 30_000);
  const afterStop = await compareCounters(page, host, 30_000, log);
  const noneRunning = await noRowRunning(page);
  log(`stop: ${stop.ms === null ? 'never settled' : `${fmt(stop.ms)} ms`} in the UI; ${stopReport}`);
  const tally = await generator.next('tally', 5000).catch(() => null);
  generator.send({ type: 'exit' });

  const measurements: Measurements = {
    burst,
    cpu: cpuUse,
    stopCpu,
    frames: recording,
    framesSeconds,
    scrollLoaded,
    scrollPastBurstMs,
    scrollSettled,
    taskCount,
    generator: { ...done, opened: tally?.opened ?? done.opened },
    generatorKind: generator.description,
    afterBurst,
    afterStop,
    stop,
    engineStopMs: frames.stopped?.durationMs ?? stopMsFromReport(stopReport),
    stoppedEventSeen: frames.stopped !== null,
    liveBeforeStop,
    noneRunning,
  };
  const figures = buildFigures(measurements);
  console.log('');
  printFigures(figures);
  const path = writeResults('ui-bench.json', {
    at: new Date().toISOString(),
    node: process.version,
    plan,
    opened,
    measurements: { ...measurements, stopReport },
    frameStats: {
      p50: percentile(recording.frames, 50),
      p95: percentile(recording.frames, 95),
      p99: percentile(recording.frames, 99),
      max: Math.max(...recording.frames),
    },
    profile: profileSummary,
    trace: traceSummary,
    hostOutput: {
      printedStopped: host.output().includes('Stopped:'),
      notShownLines: host.output().match(/^\(\d+ events not shown.*$/gm) ?? [],
    },
    figures,
  });
  if (PROFILE)
    console.log(
      '\n(Profiled run: tracing and sampling slow the page; take figures from a run without UI_BENCH_PROFILE.)',
    );
  if (profileSummary) {
    console.log(`\nPage main thread, busy ${fmt(profileSummary.busyShare * 100)}%; top self time:`);
    for (const t of profileSummary.top.slice(0, 10))
      console.log(`  ${fmt(t.selfMs).padStart(6)} ms  ${t.fn}`);
  }
  if (traceSummary) {
    console.log(
      `\nPage main thread busy ${fmt(traceSummary.busyMs)} of ${fmt(traceSummary.traceMs)} ms traced; self time by trace event:`,
    );
    for (const t of traceSummary.bySelfTime.slice(0, 12))
      console.log(`  ${fmt(t.selfMs).padStart(6)} ms  ${t.name} x${t.count}`);
  }
  console.log(`\nResults: ${path}\nScreenshot under load: ${screenshotPath}`);
  // As `npm run bench`: a completed run exits 0 whatever its verdicts; only a failed run does not.
  return 0;
}

let cleaning: Promise<void> | null = null;
/** Ends every child this run started: generator, browser, host. Bounded; safe to call twice. */
function cleanup(): Promise<void> {
  abandoned = true;
  cleaning ??= (async () => {
    resources.generator?.kill();
    await Promise.race([resources.browser?.close().catch(() => {}), sleep(5000)]);
    await resources.host?.stop(3000);
  })();
  return cleaning;
}

// Last resort if the process exits some other way: no child may outlive the benchmark.
process.on('exit', () => {
  resources.generator?.kill();
  resources.host?.child.kill('SIGKILL');
});
// A stray rejection after a failure must not end the process before cleanup has run.
process.on('unhandledRejection', (err) => {
  console.error(`ui-bench: unhandled rejection: ${(err as Error)?.stack ?? err}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`ui-bench: ${signal}, cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  let code = 2;
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`hard timeout (${HARD_TIMEOUT_MS} ms)`)), HARD_TIMEOUT_MS),
  );
  try {
    code = await Promise.race([run(), timeout]);
  } catch (err) {
    if (abandoned) return; // a signal is cleaning up and will exit
    console.error(`ui-bench failed: ${(err as Error).stack ?? err}`);
    if (resources.host) console.error(`host output (tail):\n${resources.host.output().slice(-2000)}`);
  }
  await cleanup();
  process.exit(code);
}

void main();
