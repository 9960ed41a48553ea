/** The graceful stop of a running host (CLI, browser host, desktop app), however it is asked for. */
export interface GracefulStop {
  /**
   * Starts the stop for a reason other than a signal (stdout was closed, the app was quit): says
   * `announcement` through `say` (when given) and runs the shutdown, unless a stop is already under
   * way. A signal afterwards forces the exit.
   */
  begin(announcement?: string, say?: (text: string) => void): void;
  /** Whether the shutdown has finished (the exit is then under way). */
  readonly done: boolean;
  /** Removes the signal handlers. */
  dispose(): void;
}

/** How a host reports and ends: the CLI through `process.exit`, the desktop app through `app.exit`. */
export interface ShutdownHost {
  notice(text: string): void;
  exit(code: number): void;
}

/**
 * SIGINT/SIGTERM run `shutdown` once (the graceful stop), then exit with 0 (1 if it failed); a second
 * signal while it runs forces the exit (130). `begin` runs the same stop for other reasons.
 */
export function handleShutdownSignals(
  shutdown: () => Promise<void>,
  host: ShutdownHost = { notice: (text) => console.error(text), exit: (code) => process.exit(code) },
): GracefulStop {
  let phase: 'running' | 'stopping' | 'done' = 'running';
  const run = (): void => {
    phase = 'stopping';
    shutdown().then(
      () => {
        phase = 'done';
        host.exit(0);
      },
      (err: unknown) => {
        host.notice(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        phase = 'done';
        host.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (phase !== 'running') {
      host.notice(`Received ${signal} again: forcing exit`);
      host.exit(130);
      return;
    }
    host.notice(`Received ${signal}: shutting down (send it again to force)`);
    run();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    begin(announcement, say) {
      if (phase !== 'running') return;
      if (announcement) (say ?? host.notice)(announcement);
      run();
    },
    get done() {
      return phase === 'done';
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
