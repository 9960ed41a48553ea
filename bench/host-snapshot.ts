/**
 * The engine's own view, read independently of the page: a separate WebSocket to the browser host
 * (token in the URL, the host's Origin header) that runs one `snapshot` command and closes.
 */
import { WebSocket } from 'ws';
import type { Snapshot } from '../src-shared/commands';
import { TOKEN_PARAM, WS_PATH, type WsServerMessage } from '../src-shared/ws-protocol';

/** A snapshot of 10,000+ tasks with transcripts is tens of MB. */
const MAX_PAYLOAD = 1024 * 1024 * 1024;

export function fetchSnapshot(origin: string, token: string, timeoutMs = 20_000): Promise<Snapshot> {
  const url = `${origin.replace(/^http/, 'ws')}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin, maxPayload: MAX_PAYLOAD });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('snapshot timed out'));
    }, timeoutMs);
    const finish = (error: Error | null, snapshot?: Snapshot): void => {
      clearTimeout(timer);
      ws.close();
      if (error) reject(error);
      else resolve(snapshot!);
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'command', id: 1, name: 'snapshot', args: {} })));
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      // This socket is subscribed to batches too; they are not what we wait for.
      if (text.startsWith('{"type":"batch"')) return;
      const message = JSON.parse(text) as WsServerMessage;
      if (message.type === 'result' && message.id === 1) {
        if (message.result.ok) finish(null, message.result.value as Snapshot);
        else finish(new Error(`snapshot failed: ${message.result.error.message}`));
      } else if (message.type === 'error') finish(new Error(`snapshot refused: ${message.error.message}`));
    });
    ws.on('error', (err) => finish(err));
  });
}
