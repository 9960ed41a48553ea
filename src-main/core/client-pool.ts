import { connect, type Socket } from 'node:net';
import type { CommandResult } from '../../src-shared/commands';
import { PREVIEW_BYTES } from '../../src-shared/events';
import type { EventBus } from './event-bus';

/** Built-in clients open at once, at most; more is the load generator's job. */
export const MAX_OPEN_CLIENTS = 1000;

function fail<T>(code: string, message: string): CommandResult<T> {
  return { ok: false, error: { code, message } };
}

/**
 * The built-in client: real TCP connections to the running server, driven from the UI so a crash can
 * be watched with clicks alone. Everything it does is reported on the bus as client events.
 */
export class ClientPool {
  private nextId = 0;
  private readonly sockets = new Map<number, Socket>();

  constructor(
    private readonly bus: EventBus,
    private readonly target: () => { host: string; port: number } | null,
  ) {}

  async open(count: number): Promise<CommandResult<{ clientIds: number[] }>> {
    const to = this.target();
    if (!to) return fail('not-running', 'Start the server before opening clients');
    if (this.sockets.size + count > MAX_OPEN_CLIENTS) {
      return fail('too-many-clients', `At most ${MAX_OPEN_CLIENTS} built-in clients can be open at once`);
    }
    const results = await Promise.all(Array.from({ length: count }, () => this.connectOne(to.host, to.port)));
    const clientIds = results.filter((id): id is number => id !== null);
    if (clientIds.length === 0) return fail('connect-failed', `Could not connect to ${to.host}:${to.port}`);
    return { ok: true, value: { clientIds } };
  }

  send(clientId: number, data: Buffer): CommandResult<{ bytes: number }> {
    const socket = this.sockets.get(clientId);
    if (!socket || !socket.writable) return fail('client-closed', `Client ${clientId} is not connected`);
    socket.write(data);
    this.bus.emit({
      kind: 'client-sent',
      clientId,
      bytes: data.length,
      preview: data.toString('base64', 0, Math.min(data.length, PREVIEW_BYTES)),
    });
    return { ok: true, value: { bytes: data.length } };
  }

  close(clientId: number): CommandResult<{ closed: boolean }> {
    const socket = this.sockets.get(clientId);
    if (!socket) return fail('client-closed', `Client ${clientId} is not connected`);
    this.finish(clientId, 'local');
    socket.destroy();
    return { ok: true, value: { closed: true } };
  }

  closeAll(): void {
    for (const id of [...this.sockets.keys()]) this.close(id);
  }

  private connectOne(host: string, port: number): Promise<number | null> {
    return new Promise((resolve) => {
      const socket = connect({ host, port, noDelay: true });
      const clientId = ++this.nextId;
      let opened = false;
      socket.once('connect', () => {
        opened = true;
        this.sockets.set(clientId, socket);
        this.bus.emit({ kind: 'client-opened', clientId, localPort: socket.localPort ?? 0 });
        resolve(clientId);
      });
      socket.on('data', (chunk: Buffer) => {
        this.bus.emit({
          kind: 'client-received',
          clientId,
          bytes: chunk.length,
          preview: chunk.toString('base64', 0, Math.min(chunk.length, PREVIEW_BYTES)),
        });
      });
      socket.on('end', () => {
        this.finish(clientId, 'eof');
        socket.destroy();
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (!opened) resolve(null);
        else this.finish(clientId, err.code === 'ECONNRESET' ? 'reset' : 'error', err.message);
      });
      socket.on('close', () => this.finish(clientId, 'eof'));
    });
  }

  /** Reports a client's end once, whichever of end/error/close/local comes first. */
  private finish(clientId: number, reason: 'eof' | 'reset' | 'local' | 'error', message?: string): void {
    if (!this.sockets.delete(clientId)) return;
    this.bus.emit(
      message
        ? { kind: 'client-closed', clientId, reason, message }
        : { kind: 'client-closed', clientId, reason },
    );
  }
}
