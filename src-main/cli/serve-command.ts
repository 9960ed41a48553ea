import { createInterface } from 'node:readline';
import { EchoEngine } from '../core/echo-engine';
import { createBatchPrinter } from './console-printer';
import { parseServeOptions, SERVE_USAGE } from './serve-options';
import { handleShutdownSignals } from './shutdown-signals';
import { UsageError } from './strict-options';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const err = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/** `echoscope serve`: the engine with console output only. Resolves with the exit code on failure to start. */
export async function runServeCommand(argv: string[]): Promise<number> {
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
  const engine = new EchoEngine();
  engine.bus.subscribe(createBatchPrinter(options.json, out, err), { intervalMs: 17 });
  const started = await engine.start(options.settings);
  if (!started.ok) {
    err(`echoscope serve: ${started.error.message}`);
    return 2;
  }
  // The banner first: it is waiting in the printer's batch.
  engine.bus.flush();
  const notice = options.json ? err : out;
  handleShutdownSignals(async () => {
    await engine.stop();
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  }, notice);
  if (process.stdin.isTTY && !options.json) {
    notice('  Type "gc" and Enter to collect garbage now.');
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() === 'gc') void engine.collectGarbage();
    });
  }
  process.on('SIGUSR2', () => void engine.collectGarbage());
  return new Promise<number>(() => {});
}
