import { describeAttachedProcess } from '../../src-shared/attached-process';
import type { CommandHandlers, CommandResult } from '../../src-shared/commands';
import type { AttachHub } from './attach-hub';

function fail<T>(code: string, message: string): CommandResult<T> {
  return { ok: false, error: { code, message } };
}

/**
 * The app's commands with a Python process attachable: Attach starts the probe listener; while a process
 * is attached, the built-in server cannot be started or stopped (the reason says so), Cancel task goes
 * to the probe, and the snapshot's status names the process. Everything else is the engine's as before.
 */
export function withAttach(handlers: CommandHandlers, hub: AttachHub): CommandHandlers {
  const attachedReason = (): string | null => {
    const state = hub.attached;
    return state?.connected ? describeAttachedProcess(state.process) : null;
  };
  return {
    ...handlers,
    attach: () => hub.listen(),
    start: async (args) => {
      const attached = attachedReason();
      if (attached !== null) {
        return fail(
          'attached',
          `A Python process is attached (${attached}): the built-in server can start once it exits`,
        );
      }
      const result = await handlers.start(args);
      if (result.ok) hub.forgetExited();
      return result;
    },
    stop: async (args) => {
      const attached = attachedReason();
      if (attached !== null) {
        return fail(
          'attached',
          `The built-in server is not running: the tasks are a Python process's (${attached}); stop that program itself (Ctrl-C)`,
        );
      }
      return handlers.stop(args);
    },
    cancelTask: (args) => (hub.attached ? hub.cancelTask(args.taskId) : handlers.cancelTask(args)),
    closeConnection: async (args) =>
      hub.attached
        ? fail(
            'attached',
            "Closing a connection works on the built-in server's tasks, not a Python process's",
          )
        : handlers.closeConnection(args),
    collectGarbage: async (args) =>
      attachedReason() !== null
        ? fail(
            'attached',
            "Collect garbage runs in Echoscope's own process; the attached Python process collects its own",
          )
        : handlers.collectGarbage(args),
    snapshot: async (args) => {
      const result = await handlers.snapshot(args);
      if (!result.ok) return result;
      const status = { ...result.value.status, attachListener: hub.listener };
      if (hub.attached) status.attached = hub.attached;
      return { ok: true, value: { ...result.value, status } };
    },
  };
}
