import { createInterface } from 'node:readline';
import { describeValue } from '../../src-shared/untrusted-value';
import { locateProbeDir } from '../attach/probe-command';
import { createAppRoot } from '../core/app-root';
import { handleShutdownSignals } from '../core/graceful-shutdown';
import { attachBanner, attachBindWarning } from './attach-option';
import { commandConsole, EXIT_FLUSH_MS, STDOUT_CLOSED } from './console-output';
import { createBatchPrinter } from './console-printer';
import { type CliRecording, RecordingOpenError, startCliRecording } from './record-option';
import { parseServeOptions, SERVE_USAGE } from './serve-options';
import { UsageError } from './strict-options';

/** `echoscope serve`: the engine with console output only. Resolves with the exit code on failure to start. */
export async function runServeCommand(argv: string[]): Promise<number> {
  const { out, err, streams } = commandConsole();
  const { out: stdout, flush } = streams;
  if (argv.includes('--help') || argv.includes('-h')) {
    out(SERVE_USAGE);
    return 0;
  }
  let options: ReturnType<typeof parseServeOptions>;
  try {
    options = parseServeOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`echoscope serve: ${e.message} (see echoscope serve --help)`);
    return 2;
  }
  const { attach } = options;
  const {
    engine,
    bus,
    shutdown,
    attach: hub,
  } = createAppRoot(undefined, undefined, attach ? { log: err, probeDir: locateProbeDir() } : undefined);
  bus.subscribe(createBatchPrinter(options.json ? 'json' : 'human', out, err, { verbose: options.verbose }), {
    intervalMs: 17,
  });
  const notice = options.json ? err : out;
  let recording: CliRecording | null = null;
  try {
    if (options.record)
      recording = startCliRecording(
        bus,
        options.record,
        attach ? null : options.settings,
        'echoscope serve',
        notice,
        err,
      );
  } catch (e) {
    if (!(e instanceof RecordingOpenError)) throw e;
    err(`echoscope serve: ${e.message}`);
    return 2;
  }
  // Ctrl-C is handled before the server listens: the banner can be printed by the printer's timer while
  // start is still settling, and a signal right after it must stop gracefully, not kill the process.
  const stop = handleShutdownSignals(
    async () => {
      await shutdown();
      await recording?.close();
      await flush(EXIT_FLUSH_MS);
    },
    { notice, exit: (code) => process.exit(code) },
  );
  // With --attach-port the tasks are a Python program's: no built-in server, only the probe listener.
  const started =
    attach && hub
      ? await hub.listen(attach.host, attach.port, attach.explicitHost)
      : await engine.start(options.settings);
  if (!started.ok) {
    err(`echoscope serve: ${started.error.message}`);
    stop.dispose();
    await recording?.discard();
    return 2;
  }
  if (attach && hub?.listener) {
    for (const line of attachBanner(hub.listener)) notice(line);
    const warning = attachBindWarning(attach.host);
    if (warning !== null) err(warning);
  }
  // The banner first: it is waiting in the printer's batch.
  bus.flush();
  stdout.onBroken(() => stop.begin(`echoscope serve: ${STDOUT_CLOSED}`, err));
  if (attach) {
    notice('  Press Ctrl-C to stop.');
    return new Promise<number>(() => {});
  }
  if (process.stdin.isTTY && !options.json) notice('  Type "gc" and Enter to collect garbage now.');
  // From a terminal or a pipe alike (`(sleep 5; echo gc) | echoscope serve`); an empty or closed stdin
  // (`< /dev/null`) simply ends the lines.
  process.stdin.on('error', () => {});
  createInterface({ input: process.stdin }).on('line', (line) => {
    const input = line.trim();
    if (input === 'gc') void engine.collectGarbage();
    else if (input !== '')
      err(
        `echoscope serve: unknown input ${describeValue(input, 40)}: type gc and Enter to collect garbage now`,
      );
  });
  process.on('SIGUSR2', () => void engine.collectGarbage());
  return new Promise<number>(() => {});
}
