import { createReadStream } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../../src-shared/content-security-policy';
import { RECORDINGS_DOWNLOAD_PATH } from '../../src-shared/recording/recording-control';
import {
  problemsHeader,
  REPLAY_FILE_HEADER,
  REPLAY_PATH,
  REPLAY_PROBLEMS_HEADER,
} from '../../src-shared/recording/recording-format';
import { TOKEN_PARAM } from '../../src-shared/ws-protocol';
import type { RecordingsFolder } from '../recording/recordings-folder';
import { type AccessPolicy, hostAllowed, tokenMatches } from './access-policy';
import { type ReplaySource, replayStream } from './replay-source';
import { contentTypeOf, resolveStaticFile } from './static-files';

const INDEX_PATHS = new Set(['/', '/index.html']);

/** Headers on every response: the strict CSP (with this server's own WebSocket), and no sniffing or leaking. */
function securityHeaders(host: string): OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://${host}`] }),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The page URL carries the token: never send it anywhere in a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function sendText(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    // A refused request gets no kept-alive connection to hold on to.
    Connection: 'close',
  });
  res.end(`${text}\n`);
}

/** The request target as a URL (path and query only matter), or null when it cannot be parsed. */
export function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://placeholder');
  } catch {
    return null;
  }
}

/**
 * Serves the built renderer: static files under `rendererDir`, the page itself only with the token.
 * Never throws; every failure is a short plain-text answer.
 */
export function createHttpHandler(
  rendererDir: string,
  access: AccessPolicy,
  replay: ReplaySource | null = null,
  recordings: RecordingsFolder | null = null,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error', {});
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!hostAllowed(access, host)) {
      sendText(res, 403, 'Forbidden: unexpected Host header; open the URL printed by `echoscope web`.', {});
      return;
    }
    const headers = securityHeaders(host.toLowerCase());
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed', { ...headers, Allow: 'GET, HEAD' });
      return;
    }
    const url = parseRequestUrl(req.url);
    if (!url) {
      sendText(res, 400, 'Bad request', headers);
      return;
    }
    if (url.pathname === REPLAY_PATH) {
      if (!tokenMatches(access, url.searchParams.get(TOKEN_PARAM))) {
        sendText(
          res,
          403,
          'Forbidden: the recording needs the token of the URL printed by `echoscope web`.',
          headers,
        );
        return;
      }
      // A live dashboard asks too: "no recording" is an answer (204), not a missing page to log.
      if (!replay) {
        res.writeHead(204, { ...headers, 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'Cache-Control': 'no-store',
        [REPLAY_FILE_HEADER]: encodeURIComponent(replay.path),
        [REPLAY_PROBLEMS_HEADER]: problemsHeader(replay.recording),
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = replayStream(replay);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    if (url.pathname.startsWith(RECORDINGS_DOWNLOAD_PATH)) {
      await sendRecording(req, res, url, headers);
      return;
    }
    const isIndex = INDEX_PATHS.has(url.pathname);
    if (isIndex && !tokenMatches(access, url.searchParams.get(TOKEN_PARAM))) {
      sendText(
        res,
        403,
        'Forbidden: open the full URL printed by `echoscope web` (it includes ?token=...).',
        headers,
      );
      return;
    }
    const file = await resolveStaticFile(rendererDir, isIndex ? '/index.html' : url.pathname);
    if (!file) {
      sendText(res, 404, 'Not found', headers);
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(file.path),
      'Content-Length': file.size,
      'Cache-Control': isIndex ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  /** A recording the Record toggle made, as a download; only with the token, only by its own name. */
  async function sendRecording(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    headers: OutgoingHttpHeaders,
  ): Promise<void> {
    if (!tokenMatches(access, url.searchParams.get(TOKEN_PARAM))) {
      sendText(
        res,
        403,
        'Forbidden: a recording needs the token of the URL printed by `echoscope web`.',
        headers,
      );
      return;
    }
    // Recording names need no escaping (RECORDING_FILE_PATTERN), so the path is taken as it is.
    const file = url.pathname.slice(RECORDINGS_DOWNLOAD_PATH.length);
    const path = recordings?.pathOf(file) ?? null;
    const size = path ? await recordings!.sizeOf(file) : null;
    if (path === null || size === null) {
      sendText(res, 404, 'Not found: no recording of that name was made by this host', headers);
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file}"`,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    // What is in the file now: a recording still running grows, by whole lines.
    const stream = createReadStream(path, { start: 0, end: size - 1 });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}
