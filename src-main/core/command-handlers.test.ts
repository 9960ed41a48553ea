import { afterEach, describe, expect, it } from 'vitest';
import type { CommandHandlers } from '../../src-shared/commands';
import { ClientPool } from './client-pool';
import { createCommandHandlers, dispatchCommand } from './command-handlers';
import { EchoEngine } from './echo-engine';

let engine: EchoEngine;
let handlers: CommandHandlers;

function setup(): void {
  engine = new EchoEngine();
  handlers = createCommandHandlers(engine, new ClientPool(engine.bus, () => engine.target()));
}

afterEach(async () => {
  if (engine.status().phase === 'listening') await engine.stop();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('dispatchCommand', () => {
  it.each([
    ['launchMissiles', {}, 'unknown-command'],
    ['start', { port: -1 }, 'invalid-args'],
    ['start', { port: 8000, extra: true }, 'invalid-args'],
    ['start', 'not an object', 'invalid-args'],
    ['cancelTask', { taskId: 'one' }, 'invalid-args'],
    ['sendClient', { clientId: 1, text: 'x'.repeat(70_000), appendNewline: true }, 'invalid-args'],
    ['openClients', { count: 100_000 }, 'invalid-args'],
    ['stop', { surprise: 1 }, 'invalid-args'],
    ['stop', {}, 'not-running'],
  ])('answers %s %j with a clear %s error and no throw', async (name, args, code) => {
    setup();
    const result = await dispatchCommand(handlers, name, args);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(5);
    }
  });

  it('drives the built-in client end to end: open, echo, crash word, and Stop cancels the rest', async () => {
    setup();
    const started = await dispatchCommand(handlers, 'start', { port: 0, policy: 'handled' });
    expect(started.ok).toBe(true);
    const opened = await dispatchCommand(handlers, 'openClients', { count: 3 });
    expect(opened).toEqual({ ok: true, value: { clientIds: [1, 2, 3] } });
    await until(() => engine.bus.state.counters.live === 3);
    expect(
      await dispatchCommand(handlers, 'sendClient', { clientId: 1, text: 'hi', appendNewline: true }),
    ).toEqual({
      ok: true,
      value: { bytes: 3 },
    });
    await until(() => engine.bus.state.clients.get(1)?.bytesReceived === 3);
    await dispatchCommand(handlers, 'sendCrashWord', { clientId: 2 });
    await until(() => engine.bus.state.clients.get(2)?.open === false);
    expect(engine.bus.state.counters.failed).toBe(1);
    const stopped = await dispatchCommand(handlers, 'stop', {});
    // Stop cancels the live tasks at their await points before the clients go away.
    expect(stopped).toMatchObject({ ok: true, value: { cancelled: 2 } });
    expect(engine.bus.state.counters.completed).toBe(0);
    expect(
      await dispatchCommand(handlers, 'sendClient', { clientId: 3, text: 'x', appendNewline: false }),
    ).toMatchObject({
      ok: false,
      error: { code: 'client-closed' },
    });
  });
});
