/**
 * SIGINT/SIGTERM run `shutdown` once (the graceful stop); a second signal forces the exit.
 * Returns the function that removes the handlers.
 */
export function handleShutdownSignals(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  notice: (text: string) => void,
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      notice(`Received ${signal} again: forcing exit`);
      process.exit(130);
    }
    stopping = true;
    notice(`Received ${signal}: shutting down (send it again to force)`);
    shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        notice(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
