import { app } from 'electron';
import { handleShutdownSignals } from '../core/graceful-shutdown';

/**
 * Quitting (menu, last window closed) and SIGINT/SIGTERM run the same graceful stop as the CLI, then
 * exit with 0; a second signal while it runs forces the exit.
 */
export function installGracefulQuit(shutdown: () => Promise<void>): void {
  const stop = handleShutdownSignals(shutdown, {
    notice: (text) => console.error(`Echoscope: ${text}`),
    exit: (code) => app.exit(code),
  });
  app.on('before-quit', (event) => {
    if (stop.done) return;
    event.preventDefault();
    stop.begin();
  });
}
