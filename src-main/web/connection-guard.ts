import type { Socket } from 'node:net';

/** How many HTTP connections the browser host keeps, and of which kind. */
export interface ConnectionLimits {
  /**
   * Connections that have not sent a complete request: new ones and idle keep-alive ones. Beyond it the
   * oldest of them is closed, so a flood of half-sent requests never keeps a real request out.
   */
  maxWaiting: number;
  /**
   * Connections from one remote address. Beyond it that address's oldest waiting connection is closed;
   * when it has none (all are busy), the new one is refused.
   */
  maxPerAddress: number;
}

/**
 * Admission of the browser host's connections. A limit that refuses new connections would lock the real
 * user out together with an attacker on the same address (on loopback every client is 127.0.0.1);
 * instead it evicts connections that hold a slot without having asked for anything yet. A connection
 * that sent its request is busy and never evicted; the server's timeouts bound how long it stays so.
 */
export class ConnectionGuard {
  /** Connections waiting for a request, oldest first (a Set keeps insertion order). */
  private readonly waiting = new Set<Socket>();
  private readonly addressOf = new Map<Socket, string>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: ConnectionLimits) {}

  /** Connections currently tracked (admitted and not closed). */
  get size(): number {
    return this.addressOf.size;
  }

  /** A new connection: admitted (perhaps evicting an older waiting one) or destroyed. */
  admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if ((this.perAddress.get(address) ?? 0) >= this.limits.maxPerAddress && !this.evictOldest(address)) {
      socket.destroy();
      return;
    }
    this.addressOf.set(socket, address);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.waiting.add(socket);
    if (this.waiting.size > this.limits.maxWaiting) this.evictOldest(null);
    socket.once('close', () => this.forget(socket));
  }

  /** The connection's request headers arrived (or it became a WebSocket): it is no longer evictable. */
  busy(socket: Socket): void {
    this.waiting.delete(socket);
  }

  /** Its response is sent and it stays open for another request: waiting again, as the newest. */
  idle(socket: Socket): void {
    if (!this.addressOf.has(socket) || socket.destroyed) return;
    this.waiting.delete(socket);
    this.waiting.add(socket);
  }

  /** Closes the oldest waiting connection (from `address`, or from anyone); false when there is none. */
  private evictOldest(address: string | null): boolean {
    for (const socket of this.waiting) {
      if (address !== null && this.addressOf.get(socket) !== address) continue;
      this.forget(socket);
      socket.destroy();
      return true;
    }
    return false;
  }

  private forget(socket: Socket): void {
    const address = this.addressOf.get(socket);
    if (address === undefined) return;
    this.addressOf.delete(socket);
    this.waiting.delete(socket);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }
}
