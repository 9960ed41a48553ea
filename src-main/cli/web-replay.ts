import { REPLAY_PATH } from '../../src-shared/recording/recording-format';
import { EventBus } from '../core/event-bus';
import { handleShutdownSignals } from '../core/graceful-shutdown';
import { readRecordingFile } from '../recording/recording-file';
import { replayHandlers } from '../web/replay-source';
import { startWebHost } from '../web/web-host';
import { EXIT_FLUSH_MS, processConsole, STDOUT_CLOSED } from './console-output';

/** Problems of a replayed recording shown at start; the rest are counted. */
const SHOWN_PROBLEMS = 10;

/**
 * `echoscope web --replay FILE`: the browser host serving a checked recording instead of a live engine
 * (no echo server runs; commands are refused). The dashboard's replay view reads it from REPLAY_PATH.
 */
export async function runWebReplay(
  options: { host: string; port: number; rendererDir: string; path: string },
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const { path } = options;
  const { out: stdout, flush } = processConsole();
  const read = await readRecordingFile(path);
  if (!read.ok) {
    err(`echoscope web: ${read.error.message}`);
    return 2;
  }
  const { recording } = read;
  for (const problem of recording.problems.slice(0, SHOWN_PROBLEMS)) err(`echoscope web: ${problem.message}`);
  if (recording.problemCount > SHOWN_PROBLEMS)
    err(`echoscope web: ${recording.problemCount - SHOWN_PROBLEMS} more lines were left out`);
  const source = { path, recording };
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({
      bus: new EventBus(),
      handlers: replayHandlers(source),
      rendererDir: options.rendererDir,
      host: options.host,
      port: options.port,
      warn: err,
      replay: source,
    });
  } catch (e) {
    err(`echoscope web: ${(e as Error).message}`);
    return 2;
  }
  const last = recording.events.at(-1);
  const seconds = last ? ((last.at - recording.header.startedAt) / 1000).toFixed(1) : '0';
  out(`Echoscope dashboard: ${host.url}`);
  out(
    `  Replaying ${path}: ${recording.events.length} events over ${seconds} s, recorded ${recording.header.startedAtIso} by ${recording.header.recorder}.`,
  );
  out(
    `  The dashboard shows the recording (scrub, play, pause); the checked recording is served at ${REPLAY_PATH}?token=...`,
  );
  const stop = handleShutdownSignals(
    async () => {
      await host.close();
      await flush(EXIT_FLUSH_MS);
    },
    { notice: out, exit: (code) => process.exit(code) },
  );
  stdout.onBroken(() => stop.begin(`echoscope web: ${STDOUT_CLOSED}`, err));
  return new Promise<number>(() => {});
}
