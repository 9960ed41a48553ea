import { useCallback, useState } from 'react';
import type { CommandArgs, CommandName, CommandResult, CommandValue } from '../../src-shared/commands';
import { useApi } from '../api-context';

/** The outcome of the last command a control ran, in words. */
interface CommandOutcome {
  busy: boolean;
  message: string | null;
  failed: boolean;
}

const IDLE: CommandOutcome = { busy: false, message: null, failed: false };

/**
 * Runs commands for one control and remembers how the last one went, so the control can show its
 * result or its error next to itself. `describe` turns a success into one line (or null for none).
 */
export function useCommand(): {
  outcome: CommandOutcome;
  run: <K extends CommandName>(
    name: K,
    args: CommandArgs<K>,
    describe?: (value: CommandValue<K>) => string | null,
  ) => Promise<CommandResult<CommandValue<K>>>;
} {
  const api = useApi();
  const [outcome, setOutcome] = useState<CommandOutcome>(IDLE);
  const run = useCallback(
    async <K extends CommandName>(
      name: K,
      args: CommandArgs<K>,
      describe?: (value: CommandValue<K>) => string | null,
    ): Promise<CommandResult<CommandValue<K>>> => {
      setOutcome({ busy: true, message: null, failed: false });
      const result = await api.invoke(name, args).catch(
        (err: unknown): CommandResult<CommandValue<K>> => ({
          ok: false,
          error: { code: 'transport', message: err instanceof Error ? err.message : String(err) },
        }),
      );
      setOutcome(
        result.ok
          ? { busy: false, message: describe ? describe(result.value) : null, failed: false }
          : { busy: false, message: result.error.message, failed: true },
      );
      return result;
    },
    [api],
  );
  return { outcome, run };
}
