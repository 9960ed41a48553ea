import { connect, type Socket } from 'node:net';
import { httpGet, TestClient } from '../src-main/web/test-client';
import type { WsServerMessage } from '../src-shared/ws-protocol';
import type { SharedServers } from './fixtures';
import { change, count, type Probe, size } from './probe';
import { sleep } from './tcp-client';

/** Payloads that throw when coerced, prototype keys, wrong types, deep nesting: each must get a plain refusal. */
const HOSTILE_FRAMES = [
  '{"type":"command","id":1,"name":{"toString":0},"args":{}}',
  '{"type":{"toString":0},"id":2}',
  '{"type":"command","id":3,"name":"start","args":{"port":{"toString":0}}}',
  '{"type":"command","id":4,"name":"start","args":{"host":{"toString":0},"port":0}}',
  '{"type":"command","id":5,"name":"start","args":{"policy":{"valueOf":0},"port":0}}',
  '{"type":"command","id":6,"name":"start","args":{"__proto__":{"port":0},"port":0}}',
  '{"type":"command","id":7,"name":"__proto__","args":{}}',
  '{"type":"command","id":8,"name":"cancelTask","args":{"taskId":{"valueOf":0}}}',
  '{"type":"command","id":9,"name":"sendClient","args":{"clientId":1,"payload":{"toString":0},"appendNewline":true}}',
  `{"type":"command","id":10,"name":"start","args":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  '{"type":"command","id":11,"name":["start"],"args":{}}',
  'null',
];

/**
 * RSS a host may gain over the start/stop cycles. Its JS heap stays flat over thousands of cycles; RSS
 * drifts by a few MB with the allocator, so the bound catches a leak per cycle, not noise.
 */
const RSS_GROWTH_BUDGET = 32 * 1024 * 1024;

function isReply(m: WsServerMessage): m is Extract<WsServerMessage, { type: 'result' | 'error' }> {
  return m.type === 'result' || m.type === 'error';
}

/** Opens connections that send the start of a request and then nothing more. */
async function holdHalfSent(port: number, connections: number): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<Socket>((resolve) => {
          const s = connect(port, '127.0.0.1', () => {
            s.write(`GET /?token=guess HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
            resolve(s);
          });
          s.on('error', () => resolve(s));
          s.resume();
        }),
    ),
  );
}

export function webProbes(servers: SharedServers): Probe[] {
  return [
    {
      name: '300 half-sent HTTP requests',
      fast: true,
      async run({ fast }) {
        const { url } = await servers.webHost();
        const port = Number(url.port);
        const held = await holdHalfSent(port, 300);
        await sleep(100);
        const started = performance.now();
        const page = await Promise.race([
          httpGet(port, `${url.pathname}${url.search}`),
          sleep(3000).then(() => null),
        ]);
        const ms = Math.round(performance.now() - started);
        // In the full run, also see the headers timeout close what the eviction left.
        if (!fast) await sleep(7000);
        const closed = held.filter((s) => s.destroyed || s.readableEnded).length;
        for (const s of held) s.destroy();
        return {
          ok: page?.status === 200 && (fast || closed === held.length),
          figure: `dashboard ${page ? `${page.status} in ${ms} ms` : 'not served within 3 s'} while 300 held; ${closed}/300 closed by the server${fast ? '' : ' after 7 s'}`,
        };
      },
    },
    {
      name: 'hostile WebSocket payloads',
      fast: true,
      async run() {
        const { wsUrl, origin } = await servers.webHost();
        const client = await TestClient.open(wsUrl, origin);
        let refused = 0;
        const odd: string[] = [];
        for (const frame of HOSTILE_FRAMES) {
          client.ws.send(frame);
          const reply = await client.next(isReply, 3000).catch(() => null);
          const error =
            reply === null
              ? null
              : reply.type === 'error'
                ? reply.error
                : reply.result.ok
                  ? null
                  : reply.result.error;
          if (error && error.code !== 'internal') refused++;
          else odd.push(`${frame.slice(0, 40)} → ${reply ? JSON.stringify(reply).slice(0, 80) : 'no reply'}`);
        }
        const after = await client.command('snapshot').catch(() => null);
        client.close();
        const alive = after?.type === 'result' && after.result.ok;
        return {
          ok: refused === HOSTILE_FRAMES.length && alive,
          figure: `${refused}/${HOSTILE_FRAMES.length} refused with an error reply, session alive after: ${alive}${odd.length ? `; not refused: ${odd.join(' | ')}` : ''}`,
        };
      },
    },
    {
      name: 'start/stop cycles through the WebSocket',
      fast: true,
      async run({ fast }) {
        const { wsUrl, origin, cli } = await servers.webHost();
        const client = await TestClient.open(wsUrl, origin);
        const cycles = fast ? 30 : 300;
        const warmup = fast ? 5 : 30;
        let failed = 0;
        let rssWarm = 0;
        const cycle = async (): Promise<void> => {
          const started = await client.command('start', { port: 0 });
          const opened = await client.command('openClients', { count: 3 });
          const stopped = await client.command('stop');
          for (const r of [started, opened, stopped]) if (r.type !== 'result' || !r.result.ok) failed++;
        };
        const collected = async (): Promise<number> => {
          await client.command('collectGarbage');
          return cli.rssBytes();
        };
        for (let i = 0; i < warmup; i++) await cycle();
        rssWarm = await collected();
        for (let i = 0; i < cycles; i++) await cycle();
        const rssEnd = await collected();
        client.close();
        const growth = rssEnd - rssWarm;
        return {
          ok: failed === 0 && growth < RSS_GROWTH_BUDGET,
          figure: `${count(cycles)} start/openClients(3)/stop cycles after ${warmup} to warm up, ${failed} failed: host rss ${size(rssWarm)} → ${size(rssEnd)} (${change(growth)})`,
        };
      },
    },
  ];
}
