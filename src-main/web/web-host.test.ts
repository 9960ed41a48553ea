import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerStatus } from '../../src-shared/commands';
import type { WsBatchMessage, WsServerMessage } from '../../src-shared/ws-protocol';
import { ClientPool } from '../core/client-pool';
import { createCommandHandlers } from '../core/command-handlers';
import type { EchoEngine } from '../core/echo-engine';
import { httpGet, TestClient, upgradeStatus } from './test-client';
import { startTestWebHost, type TestWebHost } from './testing/test-web-host';
import { startWebHost, type WebHost } from './web-host';

const isBatch = (m: WsServerMessage): m is WsBatchMessage => m.type === 'batch';

let web: TestWebHost;
let dir: string;
let rendererDir: string;
let engine: EchoEngine;
let host: WebHost;
let origin: string;
let wsUrl: string;

beforeEach(async () => {
  web = await startTestWebHost();
  ({ dir, rendererDir, host, origin, wsUrl } = web);
  engine = web.root.engine;
  await writeFile(join(dir, 'secret.txt'), 'top secret');
});

afterEach(() => web.close());

describe('HTTP', () => {
  it('prints a loopback URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('serves index.html only with the token, with a strict CSP', async () => {
    const none = await httpGet(host.port, '/');
    expect(none.status).toBe(403);
    expect(none.body).toContain('token');
    expect((await httpGet(host.port, '/?token=wrong')).status).toBe(403);
    expect((await httpGet(host.port, `/index.html?token=${host.token.slice(1)}`)).status).toBe(403);
    const ok = await httpGet(host.port, `/?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Echoscope</title>');
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('serves assets with their content type', async () => {
    const res = await httpGet(host.port, '/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await httpGet(host.port, '/assets/missing.js')).status).toBe(404);
    expect((await httpGet(host.port, '/assets')).status).toBe(404);
  });

  it('refuses directory traversal', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const res = await httpGet(host.port, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('top secret');
    }
  });

  it('refuses a foreign Host header (DNS rebinding) and other methods', async () => {
    const res = await httpGet(host.port, `/?token=${host.token}`, { Host: `evil.example:${host.port}` });
    expect(res.status).toBe(403);
    expect((await httpGet(host.port, '/assets/app.js', { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('reports a port in use as one line', async () => {
    await expect(
      startWebHost({
        bus: engine.bus,
        handlers: createCommandHandlers(engine, new ClientPool(engine.bus, () => null)),
        rendererDir,
        port: host.port,
      }),
    ).rejects.toThrow(`Port ${host.port} is already in use`);
  });
});

/** Opens `count` connections that send `partial` (a request without its end) and then hold still. */
async function holdConnections(port: number, count: number, partial: string): Promise<Socket[]> {
  const held: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    // The server may close them (that is the point); their errors are expected.
    socket.on('error', () => {});
    held.push(socket);
  }
  await Promise.all(
    held.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.once('connect', () => {
            if (partial) s.write(partial);
            resolve();
          });
          s.once('close', () => resolve());
        }),
    ),
  );
  return held;
}

describe('HTTP limits', () => {
  it.each([
    [
      'half-sent requests',
      (port: number) => `GET /?token=guess HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `,
    ],
    ['silent connections', () => ''],
  ])('still serves the dashboard at once while 300 %s are held', async (_, partial) => {
    const held = await holdConnections(host.port, 300, partial(host.port));
    try {
      // Let the server take in the last of them before the real user arrives.
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const page = await Promise.race([
        httpGet(host.port, `/?token=${host.token}`),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no page within 3 s')), 3000)),
      ]);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Echoscope</title>');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await upgradeStatus(wsUrl, origin)).toBe(101);
    } finally {
      for (const s of held) s.destroy();
    }
  });

  it('closes a connection that has not sent its headers within the headers timeout', async () => {
    const [socket] = await holdConnections(host.port, 1, 'GET / HTTP/1.1\r\n');
    socket!.resume();
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) =>
      socket!.once('close', () => resolve(Date.now() - started)),
    );
    // 5 s, checked every second.
    expect(closedAfter).toBeLessThan(7000);
  }, 10_000);

  it('closes the connection after refusing a request without the token', async () => {
    const refused = await httpGet(host.port, '/');
    expect(refused.status).toBe(403);
    expect(refused.headers.connection).toBe('close');
  });
});

describe('WebSocket access', () => {
  it('requires the token', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/ws`, origin)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/ws?token=nope`, origin)).toBe(401);
  });

  it('requires our own Origin', async () => {
    expect(await upgradeStatus(wsUrl, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(wsUrl, `http://127.0.0.1:${host.port + 1}`)).toBe(403);
    expect(await upgradeStatus(wsUrl)).toBe(403);
    expect(await upgradeStatus(wsUrl, origin)).toBe(101);
    expect(await upgradeStatus(wsUrl, `http://localhost:${host.port}`)).toBe(101);
  });

  it('refuses other paths', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/other?token=${host.token}`, origin)).toBe(404);
  });
});

describe('WebSocket API', () => {
  it('runs commands and streams batches', async () => {
    const client = await TestClient.open(wsUrl, origin);
    const snap = await client.command('snapshot');
    expect(snap).toMatchObject({
      type: 'result',
      result: { ok: true, value: { status: { phase: 'idle' } } },
    });

    const started = await client.command('start', { port: 0 });
    expect(started).toMatchObject({ type: 'result', result: { ok: true, value: { phase: 'listening' } } });
    const batch = await client.next(isBatch);
    expect(batch.batch.events.map((e) => e.kind)).toContain('listening');
    expect(batch.batch.counters.events).toBeGreaterThan(0);

    const opened = await client.command('openClients', { count: 2 });
    expect(opened).toMatchObject({ type: 'result', result: { ok: true, value: { clientIds: [1, 2] } } });
    const status = (await client.command('snapshot')) as { result: { value: { status: ServerStatus } } };
    expect(status.result.value.status.boundPort).toBeGreaterThan(0);
    expect(await client.command('stop')).toMatchObject({ result: { ok: true } });
    client.close();
  });

  it('answers malformed messages with an error and keeps the connection', async () => {
    const client = await TestClient.open(wsUrl, origin);
    const isError = (m: WsServerMessage): m is WsServerMessage & { type: 'error' } => m.type === 'error';

    client.ws.send('not json {');
    expect(await client.next(isError)).toMatchObject({ error: { code: 'invalid-json' } });
    client.ws.send('[1,2]');
    expect(await client.next(isError)).toMatchObject({ error: { code: 'invalid-message' } });
    client.ws.send(JSON.stringify({ type: 'hello', id: 7 }));
    expect(await client.next(isError)).toMatchObject({ id: 7, error: { code: 'invalid-message' } });
    client.ws.send(JSON.stringify({ type: 'command', name: 'snapshot' }));
    expect(await client.next(isError)).toMatchObject({ error: { code: 'invalid-message' } });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next(isError)).toMatchObject({ error: { code: 'binary-message' } });
    client.ws.send(JSON.stringify({ type: 'command', id: 1, args: 'x'.repeat(600 * 1024) }));
    expect(await client.next(isError)).toMatchObject({ error: { code: 'message-too-large' } });

    expect(await client.command('explode')).toMatchObject({
      result: { ok: false, error: { code: 'unknown-command' } },
    });
    expect(await client.command('start', { port: 'x' })).toMatchObject({
      result: { ok: false, error: { code: 'invalid-args' } },
    });
    expect(await client.command('cancelTask', { taskId: -1 })).toMatchObject({
      result: { ok: false, error: { code: 'invalid-args' } },
    });
    expect(await client.command('start', { nonsense: true })).toMatchObject({ result: { ok: false } });

    expect(await client.command('snapshot')).toMatchObject({ type: 'result', result: { ok: true } });
    client.close();
  });

  it('closes a socket that sends more than the hard payload limit, and keeps serving others', async () => {
    const client = await TestClient.open(wsUrl, origin);
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.ws.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const again = await TestClient.open(wsUrl, origin);
    expect(await again.command('snapshot')).toMatchObject({ result: { ok: true } });
    again.close();
  });

  it('closes browser connections on close()', async () => {
    const client = await TestClient.open(wsUrl, origin);
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    await host.close();
    expect(await closed).toBe(1001);
    expect(client.ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('sends batches to a client while the engine echoes', async () => {
    const client = await TestClient.open(wsUrl, origin);
    const started = (await client.command('start', { port: 0 })) as { result: { value: ServerStatus } };
    const port = started.result.value.boundPort ?? 0;
    const sock = await new Promise<Socket>((resolve) => {
      const c = connect(port, '127.0.0.1', () => resolve(c));
    });
    sock.write('hello\n');
    const kinds = new Set<string>();
    while (!kinds.has('echoed')) {
      for (const e of (await client.next(isBatch)).batch.events) kinds.add(e.kind);
    }
    expect(kinds).toContain('accepted');
    sock.destroy();
    client.close();
  });
});
