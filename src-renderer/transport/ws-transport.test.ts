import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkState } from '../../src-shared/api';
import { EVENT_SCHEMA_VERSION, type EventBatch } from '../../src-shared/events';
import { createWsTransport, webSocketUrl } from './ws-transport';

/** An in-memory stand-in for the browser's WebSocket: the test opens, feeds and drops it. */
class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: Array<{ type: string; id: number; name: string }> = [];

  constructor(readonly url: string) {
    super();
    FakeWebSocket.instances.push(this);
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text) as { type: string; id: number; name: string });
  }

  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  receive(message: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  drop(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
}

const latest = (): FakeWebSocket => {
  const socket = FakeWebSocket.instances.at(-1);
  if (!socket) throw new Error('no socket');
  return socket;
};

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('reportError', vi.fn());
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('webSocketUrl', () => {
  it('uses the page host and passes the token on', () => {
    const location = { protocol: 'http:', host: '127.0.0.1:8080', search: '?token=a_b-c' } as Location;
    expect(webSocketUrl(location)).toBe('ws://127.0.0.1:8080/ws?token=a_b-c');
  });
});

describe('createWsTransport', () => {
  it('queues requests until the socket opens, then resolves them by id in any order', async () => {
    const api = createWsTransport('ws://host/ws?token=t');
    const first = api.invoke('snapshot', {});
    const second = api.invoke('cancelTask', { taskId: 4 });
    expect(latest().sent).toEqual([]);
    latest().open();
    expect(latest().sent.map((m) => m.name)).toEqual(['snapshot', 'cancelTask']);
    const [a, b] = latest().sent;
    latest().receive({
      type: 'result',
      id: b?.id,
      result: { ok: false, error: { code: 'not-live', message: 'x' } },
    });
    latest().receive({ type: 'result', id: a?.id, result: { ok: true, value: 'snap' } });
    expect(await second).toEqual({ ok: false, error: { code: 'not-live', message: 'x' } });
    expect(await first).toEqual({ ok: true, value: 'snap' });
  });

  it('turns an error reply with an id into a failed result, and ignores junk', async () => {
    const api = createWsTransport('ws://host/ws');
    latest().open();
    const pending = api.invoke('stop', {});
    latest().dispatchEvent(new MessageEvent('message', { data: 'not json' }));
    latest().receive({ type: 'mystery' });
    const id = latest().sent[0]?.id;
    latest().receive({ type: 'error', id, error: { code: 'busy', message: 'Too many' } });
    expect(await pending).toEqual({ ok: false, error: { code: 'busy', message: 'Too many' } });
  });

  it('delivers batches to every listener, even when one throws', () => {
    const api = createWsTransport('ws://host/ws');
    latest().open();
    const got: EventBatch[] = [];
    api.onBatch(() => {
      throw new Error('listener bug');
    });
    const off = api.onBatch((b) => got.push(b));
    const batch = { v: EVENT_SCHEMA_VERSION, events: [], dropped: 0, counters: {}, lastSeq: 3 };
    latest().receive({ type: 'batch', batch });
    off();
    latest().receive({ type: 'batch', batch });
    expect(got).toEqual([batch]);
    expect(reportError).toHaveBeenCalledTimes(2);
    // Each batch is acknowledged once, after every listener ran (the host's flow control).
    expect(latest().sent).toEqual([{ type: 'ack' }, { type: 'ack' }]);
  });

  it('fails in-flight requests on disconnect, reports the link, and reconnects with backoff', async () => {
    const api = createWsTransport('ws://host/ws');
    const links: LinkState[] = [];
    api.onLink((s) => links.push(s));
    latest().open();
    const inFlight = api.invoke('stop', {});
    latest().drop();
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(links).toEqual(['closed', 'open', 'closed']);

    const queued = api.invoke('snapshot', {});
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeWebSocket.instances).toHaveLength(2);
    latest().drop();
    await vi.advanceTimersByTimeAsync(249);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(251);
    expect(FakeWebSocket.instances).toHaveLength(3);
    latest().open();
    expect(links.at(-1)).toBe('open');
    const id = latest().sent[0]?.id;
    latest().receive({ type: 'result', id, result: { ok: true, value: 1 } });
    expect(await queued).toEqual({ ok: true, value: 1 });
  });

  it('hands a recording the host opened (File → Open) to its listeners, and drops malformed ones', () => {
    const api = createWsTransport('ws://host/ws');
    latest().open();
    const opened: unknown[] = [];
    api.onOpenRecording((o) => opened.push(o));
    latest().receive({ type: 'open-recording', file: 'a.ndjson', text: 'line\n', error: null });
    latest().receive({ type: 'open-recording', file: 'big.ndjson', text: null, error: 'too large' });
    latest().receive({ type: 'open-recording', file: 7, text: 'x', error: null });
    latest().receive({ type: 'open-recording', file: 'b.ndjson' });
    expect(opened).toEqual([
      { file: 'a.ndjson', text: 'line\n', error: null },
      { file: 'big.ndjson', text: null, error: 'too large' },
    ]);
  });
});
