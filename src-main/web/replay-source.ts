import { Readable } from 'node:stream';
import { COMMAND_NAMES } from '../../src-shared/command-validation';
import type { CommandHandlers, CommandResult, Snapshot } from '../../src-shared/commands';
import { zeroCounters } from '../../src-shared/counters';
import { EVENT_SCHEMA_VERSION } from '../../src-shared/events';
import type { Recording } from '../../src-shared/recording/recording-format';

/** A recording served by the browser host instead of a live engine. */
export interface ReplaySource {
  /** The file it was read from, for messages. */
  path: string;
  /** The recording as read and checked (every line passed its schema). */
  recording: Recording;
}

/** The checked recording as NDJSON, one line at a time (never one large string): header, events, notice. */
export function replayStream(source: ReplaySource): Readable {
  const { header, events, ending } = source.recording;
  function* lines(): Generator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const e of events) yield `${JSON.stringify(e)}\n`;
    if (ending) yield `${JSON.stringify(ending)}\n`;
  }
  return Readable.from(lines(), { objectMode: false });
}

/**
 * The command handlers of a replay: there is no engine, so every command that would act on one is
 * refused with one clear line; `snapshot` answers an idle, empty server (the live views stay empty
 * while the replay view, which reads REPLAY_PATH, shows the recording).
 */
export function replayHandlers(source: ReplaySource): CommandHandlers {
  const refusal: CommandResult<never> = {
    ok: false,
    error: {
      code: 'replay',
      message: `This dashboard replays ${source.path}: there is no live echo server to control`,
    },
  };
  const emptySnapshot = (): Snapshot => ({
    v: EVENT_SCHEMA_VERSION,
    lastSeq: 0,
    status: {
      phase: 'idle',
      settings: source.recording.header.settings,
      boundPort: null,
      gcAvailable: false,
    },
    counters: zeroCounters(),
    tasks: [],
    warnings: [],
    clients: [],
  });
  const handlers: Record<string, () => Promise<CommandResult<unknown>>> = {};
  for (const name of COMMAND_NAMES) handlers[name] = async () => refusal;
  handlers.snapshot = async () => ({ ok: true, value: emptySnapshot() });
  return handlers as unknown as CommandHandlers;
}
