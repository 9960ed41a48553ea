import { afterEach, beforeEach, expect, it } from 'vitest';
import type { WsServerMessage } from '../../src-shared/ws-protocol';
import type { EchoEngine } from '../core/echo-engine';
import { TestClient } from './test-client';
import { startTestWebHost, type TestWebHost } from './testing/test-web-host';

let web: TestWebHost;
let engine: EchoEngine;
let origin: string;
let wsUrl: string;

beforeEach(async () => {
  web = await startTestWebHost();
  ({ origin, wsUrl } = web);
  engine = web.root.engine;
});

afterEach(() => web.close());

/** Objects that throw when coerced to a string, prototype keys, wrong types, and deep nesting. */
const HOSTILE_FRAMES = [
  '{"type":"command","id":1,"name":{"toString":0}}',
  '{"type":{"toString":0}}',
  '{"type":{"toString":0},"id":2}',
  '{"type":"command","id":{"toString":0},"name":"start"}',
  '{"type":"command","id":3,"name":"start","args":{"port":{"toString":0}}}',
  '{"type":"command","id":4,"name":"start","args":{"host":{"toString":0},"port":0}}',
  '{"type":"command","id":5,"name":"start","args":{"policy":{"valueOf":0},"port":0}}',
  '{"type":"command","id":6,"name":"start","args":{"__proto__":{"port":0},"port":0}}',
  '{"type":"command","id":7,"name":"start","args":{"toString":1,"port":0}}',
  '{"type":"command","id":8,"name":"start","args":{"constructor":{"prototype":{}},"port":0}}',
  '{"type":"command","id":9,"name":"__proto__"}',
  '{"type":"command","id":10,"name":"constructor","args":{}}',
  '{"type":"command","id":11,"name":"cancelTask","args":{"taskId":{"valueOf":0}}}',
  '{"type":"command","id":12,"name":"sendClient","args":{"clientId":1,"payload":{"toString":0},"appendNewline":true}}',
  '{"type":"command","id":13,"name":["start"]}',
  `{"type":"command","id":14,"name":"start","args":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
  `{"type":"${'x'.repeat(400_000)}"}`,
  'null',
  '"command"',
  '1e999',
];

const isReply = (m: WsServerMessage): m is Exclude<WsServerMessage, { type: 'batch' }> => m.type !== 'batch';

it('answers every hostile frame with an error reply, and the host keeps serving another client', async () => {
  const attacker = await TestClient.open(wsUrl, origin);
  const bystander = await TestClient.open(wsUrl, origin);

  for (const frame of HOSTILE_FRAMES) {
    attacker.ws.send(frame);
    const reply = await attacker.next(isReply);
    const error = reply.type === 'result' ? (reply.result.ok ? null : reply.result.error) : reply.error;
    expect({ frame: frame.slice(0, 80), error }).toEqual({
      frame: frame.slice(0, 80),
      error: { code: expect.any(String), message: expect.any(String) },
    });
  }
  // Nothing above started the engine (the prototype-key settings are refused, not ignored).
  expect(engine.status().phase).toBe('idle');

  expect(await bystander.command('start', { port: 0 })).toMatchObject({
    type: 'result',
    result: { ok: true, value: { phase: 'listening' } },
  });
  expect(await bystander.command('stop')).toMatchObject({ type: 'result', result: { ok: true } });
  // The attacker's own connection is still served too.
  expect(await attacker.command('snapshot')).toMatchObject({ type: 'result', result: { ok: true } });
  attacker.close();
  bystander.close();
});
