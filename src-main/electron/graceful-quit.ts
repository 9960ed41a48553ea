import { app } from 'electron';

/**
 * Quitting (menu, last window closed, SIGINT/SIGTERM) first runs `shutdown` (the engine's graceful
 * stop), then exits with 0. A second signal while it runs forces the exit.
 */
export function installGracefulQuit(shutdown: () => Promise<void>): void {
  let phase: 'running' | 'stopping' | 'done' = 'running';
  const quit = (): void => {
    if (phase !== 'running') return;
    phase = 'stopping';
    shutdown().then(
      () => {
        phase = 'done';
        app.exit(0);
      },
      (err: unknown) => {
        console.error(`Echoscope: shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        phase = 'done';
        app.exit(1);
      },
    );
  };
  app.on('before-quit', (event) => {
    if (phase === 'done') return;
    event.preventDefault();
    quit();
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (phase === 'stopping') {
      console.error(`Received ${signal} again: forcing exit`);
      app.exit(130);
      return;
    }
    console.error(`Received ${signal}: shutting down (send it again to force)`);
    quit();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
