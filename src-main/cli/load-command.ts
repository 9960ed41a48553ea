import {
  checkLoadOptions,
  type LatencyFigures,
  LOAD_DEFAULTS,
  LOAD_NUMBER_TEXT,
  type LoadOptions,
  type LoadProgress,
  type LoadSummary,
  MAX_LOAD_CONNECTIONS,
  MAX_LOAD_DURATION_S,
} from '../../src-shared/load/load-contract';
import { type LoadRun, startLoad } from '../load/load-runner';
import { commandConsole } from './console-output';
import { parseStrictOptions, UsageError } from './strict-options';

export const LOAD_USAGE = `Usage: echoscope load [--host 127.0.0.1] [--port 8000] [--connections ${LOAD_DEFAULTS.connections}] [--rate ${LOAD_DEFAULTS.rate}]
                      [--size ${LOAD_DEFAULTS.size}] [--duration ${LOAD_DEFAULTS.durationS}] [--ramp 1] [--crash-fraction 0]
                      [--crash-word boom] [--seed 1] [--json]
  Opens N connections to a running echo server over the ramp-up (seconds), each sending --rate
  messages a second of --size bytes (newline included) for --duration seconds; a --crash-fraction of
  them sends the crash word at a random moment. Every echo is checked byte-exactly. Prints a line a
  second and a summary (--json: the summary as JSON on stdout, progress on stderr). Runs in a worker
  thread; at most ${MAX_LOAD_CONNECTIONS} connections and ${MAX_LOAD_DURATION_S} s. Ctrl-C stops early and
  still prints the summary. Exit code 1 when there were errors or mismatched echoes.`;

const OPTION_NAMES = {
  host: 'host',
  port: 'port',
  connections: 'connections',
  rate: 'rate',
  size: 'size',
  duration: 'durationS',
  ramp: 'rampS',
  'crash-fraction': 'crashFraction',
  'crash-word': 'crashWord',
  seed: 'seed',
} as const satisfies Record<string, keyof LoadOptions>;

/** Parses `load` options strictly; numbers must look like numbers, the bounds are the contract's. */
export function parseLoadOptions(argv: string[]): { options: LoadOptions; json: boolean } {
  const spec: Record<string, { type: 'string' | 'boolean' }> = { json: { type: 'boolean' } };
  for (const name of Object.keys(OPTION_NAMES)) spec[name] = { type: 'string' };
  const values = parseStrictOptions(argv, spec);
  const partial: Partial<Record<keyof LoadOptions, unknown>> = {};
  for (const [flag, key] of Object.entries(OPTION_NAMES)) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    const textual = key === 'host' || key === 'crashWord';
    if (!textual && !LOAD_NUMBER_TEXT.test(raw))
      throw new UsageError(`--${flag} must be a number, got "${raw}"`);
    partial[key] = textual ? raw : Number(raw);
  }
  const checked = checkLoadOptions(partial);
  if (!checked.ok) throw new UsageError(checked.error.message);
  return { options: checked.value, json: values.json === true };
}

const count = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

function latency(l: LatencyFigures | null): string {
  return l ? `p50 ${ms(l.p50)} ms  p99 ${ms(l.p99)} ms` : 'p50 -  p99 -';
}

function crashText(c: LoadSummary['crashes']): string {
  return `crashes ${c.sent}/${c.planned} (closed ${c.closed}, dangling ${c.dangling}, echoed ${c.echoed})`;
}

export function describeProgress(p: LoadProgress, o: LoadOptions): string {
  const crashes =
    o.crashFraction > 0 ? `  crashes ${p.crashes.sent}/${p.crashes.planned} closed ${p.crashes.closed}` : '';
  return `${(p.elapsedMs / 1000).toFixed(1).padStart(5)} s  ${p.phase.padEnd(8)} open ${count(p.open).padStart(6)}  rt/s ${count(p.roundTripsPerSecond).padStart(8)}  ${latency(p.latencyMs)}  errors ${p.errors}  mismatches ${p.mismatches}${crashes}`;
}

export function describeStart(o: LoadOptions): string {
  const crash =
    o.crashFraction > 0
      ? `; ${Math.round(o.crashFraction * 1000) / 10}% (${Math.round(o.connections * o.crashFraction)}) send "${o.crashWord}"`
      : '';
  return `Load: ${count(o.connections)} connections to ${o.host}:${o.port} over ${o.rampS} s, ${o.rate} msg/s each of ${o.size} B for ${o.durationS} s${crash} (seed ${o.seed}). Ctrl-C stops.`;
}

/** The summary in a few lines: round trips and latency, connections, messages, errors, mismatches, crashes. */
export function describeSummary(s: LoadSummary): string {
  const l = s.latencyMs;
  const lines = [
    `Summary (${s.endedBy === 'stopped' ? 'stopped early' : 'ran its duration'}): ${count(s.messages.echoed)} round trips in ${(s.sendingMs / 1000).toFixed(1)} s (${count(s.roundTripsPerSecond)}/s); latency ${l ? `p50 ${ms(l.p50)} ms, p90 ${ms(l.p90)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms` : 'not measured'}`,
    `  connections ${count(s.connections.opened)}/${count(s.connections.requested)} opened (peak ${count(s.connections.peakOpen)} open, ${s.connections.failed} failed); messages ${count(s.messages.sent)} sent, ${count(s.messages.echoed)} echoed, ${count(s.messages.skipped)} skipped (server lagging), ${count(s.messages.late)} late (generator held up), ${count(s.messages.unanswered)} unanswered`,
    `  errors ${s.errors.count}${
      s.errors.count > 0
        ? ` (${Object.entries(s.errors.byKind)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`
        : ''
    }; mismatches ${s.mismatches.count}; ${crashText(s.crashes)}`,
  ];
  for (const example of [...s.errors.examples, ...s.mismatches.examples]) lines.push(`  e.g. ${example}`);
  return lines.join('\n');
}

/** `echoscope load`: a bounded load run in a worker thread against a running echo server. */
export async function runLoadCommand(argv: string[]): Promise<number> {
  const { out, err, finish } = commandConsole();
  if (argv.includes('--help') || argv.includes('-h')) {
    out(LOAD_USAGE);
    return finish(0);
  }
  let parsed: ReturnType<typeof parseLoadOptions>;
  try {
    parsed = parseLoadOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`echoscope load: ${e.message} (see echoscope load --help)`);
    return finish(2);
  }
  const { options, json } = parsed;
  const live = json ? err : out;
  live(describeStart(options));
  const run: LoadRun = startLoad(options);
  let last: LoadProgress | null = null;
  run.onProgress((p) => {
    last = p;
    live(describeProgress(p, options));
  });
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      live('Stopping: sending stopped, waiting briefly for echoes in flight (Ctrl-C again to abort)');
      run.stop();
    } else void run.terminate();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await run.done;
    if (json) out(JSON.stringify(summary));
    else out(describeSummary(summary));
    return finish(summary.errors.count > 0 || summary.mismatches.count > 0 ? 1 : 0);
  } catch (e) {
    err(`echoscope load: ${(e as Error).message}`);
    if (last) err(`  last figures: ${describeProgress(last, options).trim()}`);
    return finish(signals > 1 ? 130 : 1);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
