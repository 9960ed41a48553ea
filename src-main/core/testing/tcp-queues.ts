import { readFileSync } from 'node:fs';

/** Bytes the kernel holds for one TCP socket: sent but not acknowledged (tx), received but unread (rx). */
export interface KernelQueues {
  tx: number;
  rx: number;
}

/**
 * The kernel's queues of every IPv4 TCP socket, keyed `localPort>remotePort`, from /proc/net/tcp: what a
 * test needs to know where bytes sit (in the kernel, not yet read by a server). Null where there is no
 * /proc/net/tcp (not Linux).
 */
export function tcpQueues(): Map<string, KernelQueues> | null {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return null;
  }
  const queues = new Map<string, KernelQueues>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const local = Number.parseInt(fields[1]!.split(':')[1]!, 16);
    const remote = Number.parseInt(fields[2]!.split(':')[1]!, 16);
    const [tx, rx] = fields[4]!.split(':').map((hex) => Number.parseInt(hex, 16));
    queues.set(`${local}>${remote}`, { tx: tx!, rx: rx! });
  }
  return queues;
}

/** The queues of the socket bound to `localPort` and connected to `remotePort`, or null. */
export function kernelQueues(localPort: number, remotePort: number): KernelQueues | null {
  return tcpQueues()?.get(`${localPort}>${remotePort}`) ?? null;
}

/** Whether this machine has /proc/net/tcp. */
export function hasKernelQueues(): boolean {
  return tcpQueues() !== null;
}
