import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isLoopbackHost } from '../../src-shared/bind-address';
import type { CommandHandlers } from '../../src-shared/commands';
import { TOKEN_PARAM, WS_PATH } from '../../src-shared/ws-protocol';
import type { EventBus } from '../core/event-bus';
import { describeListenError } from '../core/listen-errors';
import type { RecordingsFolder } from '../recording/recordings-folder';
import { type AccessPolicy, hostAllowed, originAllowed, tokenMatches } from './access-policy';
import { ConnectionGuard, type ConnectionLimits } from './connection-guard';
import { allowedAuthorities, formatAuthority, urlHost } from './host-address';
import { createHttpHandler, parseRequestUrl } from './http-handler';
import type { ReplaySource } from './replay-source';
import { runSession } from './ws-session';

/** How to start the browser host. */
export interface WebHostOptions {
  /** The engine's event bus; every browser connection gets its own bounded batch subscription. */
  bus: EventBus;
  /** The engine's command handlers (`createCommandHandlers(engine, clients)`). */
  handlers: CommandHandlers;
  /** The built renderer (`out/renderer`, holding index.html). */
  rendererDir: string;
  /** Address to bind; default 127.0.0.1. Anything but loopback prints a warning. */
  host?: string;
  /** Port to bind; default 8080, 0 picks a free one. */
  port?: number;
  /** Where the non-loopback warning goes; default `console.warn`. */
  warn?: (line: string) => void;
  /** A recording to serve at REPLAY_PATH (`echoscope web --replay FILE`); none by default. */
  replay?: ReplaySource;
  /** The Record toggle's folder, whose recordings are served as downloads (RECORDINGS_DOWNLOAD_PATH). */
  recordings?: RecordingsFolder | null;
}

/** A running browser host. */
export interface WebHost {
  /** The URL a user opens, token included: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  /** The per-run secret required by the page and the WebSocket. */
  token: string;
  /** The port actually bound. */
  port: number;
  /** Closes every browser connection and the HTTP server. Idempotent. */
  close(): Promise<void>;
}

/** Largest WebSocket message accepted at all; larger ones close that socket (code 1009). */
const MAX_WS_PAYLOAD = 1024 * 1024;
/** Browser connections served at once. */
const MAX_SESSIONS = 16;
/** HTTP connections (including WebSockets) open at once; Node refuses more before they are accepted. */
const MAX_CONNECTIONS = 256;
/** Half-sent requests and idle connections are evicted oldest first, so they never fill MAX_CONNECTIONS. */
const CONNECTION_LIMITS: ConnectionLimits = { maxWaiting: 64, maxPerAddress: 64 };
/**
 * A request's headers must arrive within 5 s and all of it within 10 s (Node's defaults, 60 s and 300 s,
 * let slow clients hold connections for minutes); checked every second rather than every 30.
 */
const HTTP_TIMEOUTS = { headersTimeout: 5_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 };
/** An idle keep-alive connection is closed after 5 s; a response nobody reads, after 30 s. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const SOCKET_IDLE_TIMEOUT_MS = 30_000;
/** How long closing WebSockets get to finish their close handshake at shutdown. */
const CLOSE_GRACE_MS = 500;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(describeListenError(err, host, port).message)),
    );
    server.listen({ host, port }, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Serves the built renderer over HTTP and bridges the typed API over a WebSocket at `/ws`. The page and
 * the socket both require the per-run token; the socket also requires this server's own Origin.
 * Rejects with a one-line message when the address cannot be bound (e.g. "Port 8080 is already in use").
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const access: AccessPolicy = { token, authorities: new Set() };
  const server = createServer(
    HTTP_TIMEOUTS,
    createHttpHandler(options.rendererDir, access, options.replay ?? null, options.recordings ?? null),
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.timeout = SOCKET_IDLE_TIMEOUT_MS;
  const guard = new ConnectionGuard(CONNECTION_LIMITS);
  server.on('connection', (socket: Socket) => guard.admit(socket));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    guard.busy(req.socket);
    res.once('finish', () => guard.idle(req.socket));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    guard.busy(req.socket);
    socket.on('error', () => {});
    const url = parseRequestUrl(req.url);
    if (url?.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not found');
    if (!hostAllowed(access, req.headers.host)) return refuseUpgrade(socket, 403, 'Unexpected Host header');
    if (!tokenMatches(access, url.searchParams.get(TOKEN_PARAM))) {
      return refuseUpgrade(socket, 401, 'Missing or wrong token: open the URL printed by `echoscope web`');
    }
    if (!originAllowed(access, req.headers.origin)) return refuseUpgrade(socket, 403, 'Origin not allowed');
    if (wss.clients.size >= MAX_SESSIONS) return refuseUpgrade(socket, 503, 'Too many browser connections');
    wss.handleUpgrade(req, socket, head, (ws) => runSession(ws, options.bus, options.handlers));
  });

  const port = await listen(server, host, options.port ?? 8080);
  server.on('error', () => {});
  access.authorities = allowedAuthorities(host, port);
  if (!isLoopbackHost(host)) {
    (options.warn ?? console.warn)(
      `Warning: listening on ${host}, which other machines can reach; anyone with the URL (it holds the token) can control this echo server.`,
    );
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.close(1001, 'Echoscope is shutting down');
      const timer = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, CLOSE_GRACE_MS);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        wss.close();
        resolve();
      });
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://${formatAuthority(urlHost(host), port)}/?${TOKEN_PARAM}=${token}`,
    token,
    port,
    close,
  };
}
