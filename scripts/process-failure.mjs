// One line saying why a finished child process (an installer) failed, for scripts that must not pass
// an installer's stack trace or progress output on to the user.

/** An error line as Node (`RequestError: ...`, `Error: ...`) or apt (`E: ...`) prints it. */
const ERROR_LINE = /^(?:\w*Error|E): (.+)$/;

/**
 * Why the process failed, or null when it exited 0. Prefers its first error line, else its last line.
 * @param {Pick<import('node:child_process').SpawnSyncReturns<string>, 'error' | 'status' | 'signal' | 'stdout' | 'stderr'>} result
 * @param {number} timeoutMs the timeout it ran with, to name it when it was hit
 * @returns {string | null}
 */
export function processFailure({ error, status, signal, stdout, stderr }, timeoutMs) {
  if (error && 'code' in error && error.code === 'ETIMEDOUT') {
    return `no result within ${Math.round(timeoutMs / 1000)} s`;
  }
  if (error) return error.message;
  if (status === 0) return null;
  const lines = `${stderr ?? ''}\n${stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const line of lines) {
    const match = ERROR_LINE.exec(line);
    if (match) return match[1] ?? line;
  }
  return lines.at(-1) ?? (signal ? `stopped by ${signal}` : `exit code ${status}`);
}
