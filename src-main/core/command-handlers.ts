import { checkCommand } from '../../src-shared/command-validation';
import type { CommandHandlers, CommandResult } from '../../src-shared/commands';
import { describeValue } from '../../src-shared/untrusted-value';
import { LoadController } from '../load/load-controller';
import type { RecordingsFolder } from '../recording/recordings-folder';
import type { ClientPool } from './client-pool';
import type { EchoEngine } from './echo-engine';

/** What the Record commands answer on a host without a recordings folder. */
const NO_FOLDER: CommandResult<never> = {
  ok: false,
  error: { code: 'no-recordings-folder', message: 'This host keeps no recordings folder' },
};

/** What Attach answers on a host that does not listen for Python probes (its AttachHub replaces it). */
const NO_ATTACH: CommandResult<never> = {
  ok: false,
  error: { code: 'no-attach', message: 'This host does not listen for Python probes' },
};

const NEWLINE = Buffer.from('\n');

/** Every command of the contract, implemented on one engine, its built-in clients, its recordings and its load generator. */
export function createCommandHandlers(
  engine: EchoEngine,
  clients: ClientPool,
  recordings: RecordingsFolder | null = null,
  load: LoadController = new LoadController(engine),
): CommandHandlers {
  const crashLine = (): Buffer => Buffer.from(`${engine.status().settings?.crashWord ?? 'boom'}\r\n`, 'utf8');
  return {
    start: (args) => engine.start(args),
    // Tasks are cancelled at their await points first (the lesson); the built-in clients then see EOF.
    // A load run against the server ends first, so its connections close on its side, not by the stop.
    stop: async () => {
      await load.end();
      const report = await engine.stop();
      clients.closeAll();
      return report;
    },
    cancelTask: async ({ taskId }) => engine.cancelTask(taskId),
    closeConnection: async ({ taskId }) => engine.closeConnection(taskId),
    collectGarbage: () => engine.collectGarbage(),
    snapshot: async () => ({ ok: true, value: engine.snapshot() }),
    openClients: ({ count }) => clients.open(count),
    sendClient: async ({ clientId, payload, appendNewline }) => {
      const bytes = Buffer.from(payload, 'base64');
      return clients.send(clientId, appendNewline ? Buffer.concat([bytes, NEWLINE]) : bytes);
    },
    sendCrashWord: async ({ clientId }) => clients.send(clientId, crashLine()),
    closeClient: async ({ clientId }) => clients.close(clientId),
    startLoad: async (request) => load.start(request),
    stopLoad: async () => ({ ok: true, value: load.stop() }),
    loadStatus: async () => ({ ok: true, value: load.current() }),
    startRecording: async () => recordings?.start() ?? NO_FOLDER,
    stopRecording: async () => recordings?.stop() ?? NO_FOLDER,
    attach: async () => NO_ATTACH,
    recordingStatus: async () => (recordings ? { ok: true, value: recordings.status() } : NO_FOLDER),
    readRecording: async ({ file, offset }) => recordings?.read(file, offset) ?? NO_FOLDER,
  };
}

/** An unexpected failure as a result; thrown values come from our own handlers, but even so nothing is coerced. */
function internalError(err: unknown): CommandResult<never> {
  const message = err instanceof Error && typeof err.message === 'string' ? err.message : describeValue(err);
  return { ok: false, error: { code: 'internal', message: message || 'The command failed unexpectedly' } };
}

/**
 * The one entry point hosts call with untrusted input (IPC payloads, WebSocket messages): validates
 * the command and its arguments, then runs it. Never rejects: validation runs inside the same `try`, so
 * even a bug there becomes an error result rather than an unhandled rejection in the host.
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  name: unknown,
  args: unknown,
): Promise<CommandResult<unknown>> {
  try {
    const checked = checkCommand(name, args);
    if (!checked.ok) return checked;
    const handler = handlers[checked.value.name] as (a: unknown) => Promise<CommandResult<unknown>>;
    return await handler(checked.value.args);
  } catch (err) {
    return internalError(err);
  }
}
