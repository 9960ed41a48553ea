import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src-shared/command-validation';
import type { CommandHandlers, CommandResult } from '../../src-shared/commands';
import {
  DEEP_NESTING,
  deepArray,
  deepObject,
  HUGE_STRING,
  hostileValue,
  isOneLine,
  PROTOTYPE_KEYS,
  uncoercibleValues,
} from '../../src-shared/testing/hostile-values';
import { ClientPool } from './client-pool';
import { createCommandHandlers, dispatchCommand } from './command-handlers';
import { EchoEngine } from './echo-engine';
import { LoopbackClient } from './testing/loopback-client';

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
    ['sendClient', { clientId: 1, payload: btoa('x'.repeat(70_000)), appendNewline: true }, 'invalid-args'],
    ['sendClient', { clientId: 1, payload: 'not base64!', appendNewline: true }, 'invalid-args'],
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
      await dispatchCommand(handlers, 'sendClient', {
        clientId: 1,
        payload: btoa('hi'),
        appendNewline: true,
      }),
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
      await dispatchCommand(handlers, 'sendClient', {
        clientId: 3,
        payload: btoa('x'),
        appendNewline: false,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'client-closed' },
    });
  });
});

/** A result is a value or a one-line error with a string code (a rejection fails the test by itself). */
function expectResult(result: CommandResult<unknown>): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(typeof result.error.code).toBe('string');
    expect(isOneLine(result.error.message)).toBe(true);
  }
}

/** The real handlers, except that a start the fuzzer gets right binds a free loopback port, not 8000. */
function handlersOnFreePort(): CommandHandlers {
  return { ...handlers, start: (args) => handlers.start({ ...args, host: '127.0.0.1', port: 0 }) };
}

/** The engine still starts, echoes and stops after whatever came before. */
async function expectStillServing(): Promise<void> {
  if (engine.status().phase === 'listening') await engine.stop();
  const started = await dispatchCommand(handlers, 'start', { port: 0, policy: 'handled' });
  expect(started).toMatchObject({ ok: true, value: { phase: 'listening' } });
  const client = await LoopbackClient.open(engine.status().boundPort!);
  client.write('still here\n');
  await client.untilReceived(11);
  expect(client.received.toString()).toBe('still here\n');
  client.destroy();
  expect(await dispatchCommand(handlers, 'stop', {})).toMatchObject({ ok: true });
}

describe('dispatchCommand with hostile input', () => {
  it.each(
    uncoercibleValues().map((value, index) => [index, value]),
  )('answers uncoercible value %i as a name, the arguments or a field with an error, never a rejection', async (_index, bad) => {
    setup();
    expect(await dispatchCommand(handlers, bad, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-command' },
    });
    for (const name of COMMAND_NAMES) {
      expectResult(await dispatchCommand(handlersOnFreePort(), name, bad));
      const result = await dispatchCommand(handlers, name, {
        port: bad,
        taskId: bad,
        clientId: bad,
        count: bad,
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
      expectResult(result);
    }
    await expectStillServing();
  });

  it(`answers nesting ${DEEP_NESTING} deep, a megabyte of text and prototype keys, then still serves`, async () => {
    setup();
    const specials = [deepArray(), deepObject(), HUGE_STRING, ...PROTOTYPE_KEYS];
    for (const special of specials) {
      expectResult(await dispatchCommand(handlers, special, special));
      for (const name of COMMAND_NAMES) {
        expectResult(await dispatchCommand(handlersOnFreePort(), name, special));
        expectResult(
          await dispatchCommand(handlers, name, { port: special, text: special, [name]: special }),
        );
      }
    }
    await expectStillServing();
  });

  it('turns a handler that throws into an internal error result', async () => {
    setup();
    const throwing: CommandHandlers = {
      ...handlers,
      snapshot: () => {
        throw new Error('snapshot broke');
      },
      stop: () => Promise.reject({ toString: 0 }),
    };
    expect(await dispatchCommand(throwing, 'snapshot', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'snapshot broke' },
    });
    expect(await dispatchCommand(throwing, 'stop', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'an object' },
    });
  });

  it('never rejects whatever name and arguments arrive, and the engine keeps serving', async () => {
    setup();
    const name = fc.oneof(fc.constantFrom(...COMMAND_NAMES, ...PROTOTYPE_KEYS), hostileValue());
    await fc.assert(
      fc.asyncProperty(name, hostileValue(), async (n, args) => {
        expectResult(await dispatchCommand(handlersOnFreePort(), n, args));
      }),
      { numRuns: 500 },
    );
    await expectStillServing();
  });
});
