import { request } from 'node:http';
import { WebSocket } from 'ws';
import { ACK_MESSAGE_TEXT, type WsServerMessage } from '../../src-shared/ws-protocol';

/** A plain HTTP GET with full control of the raw path and headers (for traversal and Host checks). */
export function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the HTTP status an upgrade was refused with, or 101 when it was accepted. */
export function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}

/** A test WebSocket client that queues every server message and waits for the ones it wants. */
export class TestClient {
  private readonly messages: WsServerMessage[] = [];
  private waiters: Array<() => void> = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as WsServerMessage;
      // As the page does: every batch is acknowledged, or the host's flow control holds the next ones.
      if (message.type === 'batch') ws.send(ACK_MESSAGE_TEXT);
      this.messages.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string, origin: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin });
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Waits for (and removes) the first queued message matching `match`. */
  async next<M extends WsServerMessage>(match: (m: WsServerMessage) => m is M, timeoutMs = 5000): Promise<M> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(index, 1)[0] as M;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('Timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a command and waits for its result (or error) reply. */
  async command(name: string, args?: unknown): Promise<WsServerMessage> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type: 'command', id, name, args }));
    return this.next((m): m is WsServerMessage => (m.type === 'result' || m.type === 'error') && m.id === id);
  }

  close(): void {
    this.ws.close();
  }
}
