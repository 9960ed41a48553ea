/** The graceful stop of a running command, however it is asked for. */
export interface GracefulStop {
  /**
   * Starts the stop for a reason other than a signal (stdout was closed): says `announcement` through
   * `say` and runs the shutdown, unless a stop is already under way. A signal afterwards forces the exit.
   */
  begin(announcement: string, say: (text: string) => void): void;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * SIGINT/SIGTERM run `shutdown` once (the graceful stop), then exit with 0; a second signal forces the
 * exit. `begin` runs the same stop for other reasons.
 */
export function handleShutdownSignals(
  shutdown: () => Promise<void>,
  notice: (text: string) => void,
): GracefulStop {
  let stopping = false;
  const run = (): void => {
    stopping = true;
    shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        notice(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      notice(`Received ${signal} again: forcing exit`);
      process.exit(130);
    }
    notice(`Received ${signal}: shutting down (send it again to force)`);
    run();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    begin(announcement, say) {
      if (stopping) return;
      say(announcement);
      run();
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
