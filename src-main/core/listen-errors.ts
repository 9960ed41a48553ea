import type { CommandError } from '../../src-shared/commands';

/** Turns a listen() failure into one line a user can act on. */
export function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): CommandError {
  switch (err.code) {
    case 'EADDRINUSE':
      return { code: 'port-in-use', message: `Port ${port} is already in use` };
    case 'EACCES':
    case 'EPERM':
      return {
        code: 'port-privileged',
        message: `Port ${port} needs elevated privileges (ports below 1024 are privileged); choose 1024 or above`,
      };
    case 'EADDRNOTAVAIL':
      return { code: 'host-unavailable', message: `Address ${host} is not available on this machine` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'host-unknown', message: `Host ${host} could not be resolved` };
    default:
      return { code: 'listen-failed', message: `Could not listen on ${host}:${port}: ${err.message}` };
  }
}
