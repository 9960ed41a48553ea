import { checkCommand } from '../../src-shared/command-validation';
import type { CommandHandlers, CommandName, CommandResult } from '../../src-shared/commands';
import type { ClientPool } from './client-pool';
import type { EchoEngine } from './echo-engine';

/** Every command of the contract, implemented on one engine and its built-in client pool. */
export function createCommandHandlers(engine: EchoEngine, clients: ClientPool): CommandHandlers {
  const crashLine = (): Buffer => Buffer.from(`${engine.status().settings?.crashWord ?? 'boom'}\r\n`, 'utf8');
  return {
    start: (args) => engine.start(args),
    // Tasks are cancelled at their await points first (the lesson); the built-in clients then see EOF.
    stop: async () => {
      const report = await engine.stop();
      clients.closeAll();
      return report;
    },
    cancelTask: async ({ taskId }) => engine.cancelTask(taskId),
    closeConnection: async ({ taskId }) => engine.closeConnection(taskId),
    collectGarbage: () => engine.collectGarbage(),
    snapshot: async () => ({ ok: true, value: engine.snapshot() }),
    openClients: ({ count }) => clients.open(count),
    sendClient: async ({ clientId, text, appendNewline }) =>
      clients.send(clientId, Buffer.from(appendNewline ? `${text}\n` : text, 'utf8')),
    sendCrashWord: async ({ clientId }) => clients.send(clientId, crashLine()),
    closeClient: async ({ clientId }) => clients.close(clientId),
  };
}

/**
 * The one entry point hosts call with untrusted input (IPC payloads, WebSocket messages): validates
 * the command and its arguments, then runs it. Never throws; an unexpected failure becomes an error result.
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  name: unknown,
  args: unknown,
): Promise<CommandResult<unknown>> {
  const checked = checkCommand(name, args);
  if (!checked.ok) return checked;
  const handler = handlers[checked.value.name as CommandName] as (
    a: unknown,
  ) => Promise<CommandResult<unknown>>;
  try {
    return await handler(checked.value.args);
  } catch (err) {
    return {
      ok: false,
      error: { code: 'internal', message: err instanceof Error ? err.message : String(err) },
    };
  }
}
