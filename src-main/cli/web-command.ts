import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkHost, checkPort } from '../../src-shared/command-validation';
import { REPLAY_PATH } from '../../src-shared/recording/recording-format';
import { locateProbeDir } from '../attach/probe-command';
import { createAppRoot } from '../core/app-root';
import { handleShutdownSignals } from '../core/graceful-shutdown';
import { startWebHost } from '../web/web-host';
import {
  ATTACH_OPTION_SPECS,
  type AttachOption,
  attachBanner,
  attachBindWarning,
  parseAttachOption,
} from './attach-option';
import { commandConsole, EXIT_FLUSH_MS, STDOUT_CLOSED } from './console-output';
import { createBatchPrinter } from './console-printer';
import { parseRecordLimit } from './record-option';
import { parseStrictOptions, UsageError } from './strict-options';
import { runWebReplay } from './web-replay';

export const WEB_USAGE = `Usage: echoscope web [--host 127.0.0.1] [--port 8080] [--renderer-dir out/renderer] [--quiet]
                     [--recordings-dir ~/.echoscope/recordings] [--record-limit 100] [--replay FILE.ndjson]
                     [--attach-port 8765 [--attach-host 127.0.0.1]]
  Serves the dashboard to a browser and prints its URL (with a per-run token).
  --port 0 picks a free port. Binding anything but loopback prints a warning.
  --quiet prints only the URL, warnings and errors, not the server log.
  --recordings-dir is where the dashboard's Record toggle writes (created on the first recording);
  each recording is a new file there, also offered as a download to the page, up to --record-limit MiB.
  --replay serves a recording (echoscope serve --record) instead of a live echo server: it is checked
  line by line at start and served at ${REPLAY_PATH}?token=...; commands are refused.
  --attach-port listens for a Python program run under the probe (probe/) and shows its tasks instead
  of the built-in server's; it prints the exact probe command, with the token. Loopback only unless
  --attach-host is given (then a warning). The dashboard's Attach button starts the same listener.`;

interface WebOptions {
  host: string;
  port: number;
  rendererDir: string;
  quiet: boolean;
  /** Where the Record toggle writes. */
  recordingsDir: string;
  /** Size limit of each of its recordings. */
  recordLimitBytes: number;
  /** A recording to replay instead of running an engine. */
  replay: string | null;
  /** Where to listen for Python probes from the start (else only when the page's Attach asks). */
  attach: AttachOption | null;
}

/** Where the browser host's Record toggle writes unless told otherwise. */
export const DEFAULT_RECORDINGS_DIR = join(homedir(), '.echoscope', 'recordings');

/** The built renderer: beside the built CLI (out/main → out/renderer), else under the working directory. */
function defaultRendererDir(): string {
  const candidates = [
    // Built: out/main/cli.js loads this from out/main/chunks/.
    ...(typeof __dirname === 'string'
      ? [resolve(__dirname, '../renderer'), resolve(__dirname, '../../renderer')]
      : []),
    resolve(process.cwd(), 'out/renderer'),
  ];
  return (
    candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? resolve(process.cwd(), 'out/renderer')
  );
}

/** Parses `web` options strictly; returns the options or a one-line error. */
function parseWebOptions(argv: string[]): WebOptions | string {
  let values: {
    host?: string;
    port?: string;
    'renderer-dir'?: string;
    quiet?: boolean;
    replay?: string;
    'recordings-dir'?: string;
    'record-limit'?: string;
    'attach-port'?: string;
    'attach-host'?: string;
  };
  try {
    values = parseStrictOptions(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      'renderer-dir': { type: 'string' },
      quiet: { type: 'boolean' },
      replay: { type: 'string' },
      'recordings-dir': { type: 'string' },
      'record-limit': { type: 'string' },
      ...ATTACH_OPTION_SPECS,
    }) as typeof values;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return e.message;
  }
  const host = checkHost(values.host ?? '127.0.0.1');
  if (!host.ok) return host.error.message;
  const rawPort = values.port ?? '8080';
  const port = checkPort(/^-?\d+$/.test(rawPort) ? Number(rawPort) : rawPort);
  if (!port.ok) return port.error.message;
  const attach = parseAttachOption(values);
  if (typeof attach === 'string') return attach;
  let recordLimitBytes: number;
  try {
    recordLimitBytes = parseRecordLimit(values['record-limit']);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return e.message;
  }
  const rendererDir = values['renderer-dir'] ? resolve(values['renderer-dir']) : defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    return `The renderer is not built (no index.html in ${rendererDir}); run "npm run build" first`;
  }
  return {
    host: host.value,
    port: port.value,
    rendererDir,
    quiet: values.quiet === true,
    recordingsDir: resolve(values['recordings-dir'] ?? DEFAULT_RECORDINGS_DIR),
    recordLimitBytes,
    replay: values.replay === undefined ? null : resolve(values.replay),
    attach,
  };
}

/**
 * `echoscope web`: one engine and built-in client pool, served to a browser over HTTP + WebSocket.
 * Resolves with 0 for --help and 2 when it cannot start (bad option, port in use, renderer not built);
 * otherwise it runs until SIGINT/SIGTERM, stops the engine gracefully and exits the process with 0
 * (a second signal forces the exit), as `echoscope serve` does.
 */
export async function runWebCommand(argv: string[]): Promise<number> {
  const { out, err, streams } = commandConsole();
  const { out: stdout, flush } = streams;
  if (argv.includes('--help') || argv.includes('-h')) {
    out(WEB_USAGE);
    return 0;
  }
  const options = parseWebOptions(argv);
  if (typeof options === 'string') {
    err(`echoscope web: ${options} (see echoscope web --help)`);
    return 2;
  }
  if (options.replay !== null) return runWebReplay({ ...options, path: options.replay }, out, err);
  const root = createAppRoot(
    undefined,
    { dir: options.recordingsDir, recorder: 'echoscope web', limitBytes: options.recordLimitBytes },
    { log: err, probeDir: locateProbeDir() },
  );
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({
      bus: root.bus,
      handlers: root.handlers,
      rendererDir: options.rendererDir,
      host: options.host,
      port: options.port,
      warn: err,
      recordings: root.recordings,
    });
  } catch (e) {
    err(`echoscope web: ${(e as Error).message}`);
    return 2;
  }
  // One secret for the page and the probe, as the token rule says.
  root.attach?.adoptToken(host.token);
  const attach = options.attach;
  if (attach && root.attach) {
    const listened = await root.attach.listen(attach.host, attach.port, attach.explicitHost);
    if (!listened.ok) {
      err(`echoscope web: ${listened.error.message}`);
      await host.close();
      return 2;
    }
    const warning = attachBindWarning(attach.host);
    if (warning !== null) err(warning);
  }
  root.bus.subscribe(createBatchPrinter(options.quiet ? 'quiet' : 'human', out, err), { intervalMs: 17 });
  out(`Echoscope dashboard: ${host.url}`);
  const listener = root.attach?.listener;
  if (listener) for (const line of attachBanner(listener)) out(line);
  out('  Open it in a browser; the token in the URL is required. Press Ctrl-C to stop.');
  out(`  The Record toggle writes to ${options.recordingsDir}`);
  const stop = handleShutdownSignals(
    async () => {
      await root.shutdown();
      await host.close();
      await flush(EXIT_FLUSH_MS);
    },
    { notice: out, exit: (code) => process.exit(code) },
  );
  stdout.onBroken(() => stop.begin(`echoscope web: ${STDOUT_CLOSED}`, err));
  return new Promise<number>(() => {});
}
