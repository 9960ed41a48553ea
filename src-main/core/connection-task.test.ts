import { describe, expect, it } from 'vitest';
import type { MatchMode } from '../../src-shared/events';
import { engineFixtures, eventually, ofKind, type Running } from './testing/engine-harness';
import { sleep } from './testing/loopback-client';

const { startEngine, client } = engineFixtures();

/**
 * One small write reaches the server in one piece on loopback: its first read goes to the recv waiting
 * for it, and the whole reads after it are queued at once and taken as one step. These check that they
 * end exactly as one step per read would.
 */
async function sendOnce(running: Running, text: string): Promise<Buffer> {
  const c = await client(running.port);
  c.write(text);
  await eventually(
    () => running.engine.bus.state.counters.failed + running.engine.bus.state.counters.completed === 1,
    'the task to end',
  );
  await sleep(50);
  return c.received;
}

function totals(events: Running['events']) {
  const received = ofKind(events, 'received');
  const echoed = ofKind(events, 'echoed');
  return {
    bytesIn: received.reduce((n, e) => n + e.bytes, 0),
    reads: received.reduce((n, e) => n + e.reads, 0),
    bytesOut: echoed.reduce((n, e) => n + e.bytes, 0),
    sends: echoed.reduce((n, e) => n + e.sends, 0),
  };
}

describe('reads queued at once', () => {
  it('are echoed and counted one read and one send each', async () => {
    const running = await startEngine({ recvSize: 16 });
    const c = await client(running.port);
    const text = `${'x'.repeat(999)}\n`;
    c.write(text);
    await c.untilReceived(text.length);
    expect(c.received.toString()).toBe(text);
    await eventually(() => totals(running.events).sends === 63, 'the echoes to be reported');
    // 62 whole reads of 16 bytes and one of 8.
    expect(totals(running.events)).toEqual({ bytesIn: 1000, reads: 63, bytesOut: 1000, sends: 63 });
    const preview = ofKind(running.events, 'received').at(-1)!.preview;
    expect(Buffer.from(preview, 'base64').toString()).toBe('xxxxxxx\n');
  });

  interface CrashCase {
    name: string;
    match: MatchMode;
    recvSize: number;
    text: string;
    echoed: string;
    reads: number;
    sends: number;
  }
  it.each<CrashCase>([
    // Reads of 4: "abcd" "efgh" "ij\nb" "oom\n" ...: the line is found in the fourth read, "b" echoed.
    {
      name: 'a crash line that spans reads',
      match: 'line',
      recvSize: 4,
      text: 'abcdefghij\nboom\nrest of it\n',
      echoed: 'abcdefghij\nb',
      reads: 4,
      sends: 3,
    },
    // Reads of 8: "first\nxx" "ab\nboom\n" "zzzzzzzz": the second read echoes what precedes the line
    // (a send), then fails: still after its recv, where the crash check is.
    {
      name: 'a crash line inside a read',
      match: 'line',
      recvSize: 8,
      text: 'first\nxxab\nboom\nzzzzzzzz',
      echoed: 'first\nxxab\n',
      reads: 2,
      sends: 2,
    },
    // Reads of 5: "abcd\n" "efgh\n" "boom\n" "zzzzz".
    {
      name: 'a crash line that starts a read',
      match: 'line',
      recvSize: 5,
      text: 'abcd\nefgh\nboom\nzzzzz',
      echoed: 'abcd\nefgh\n',
      reads: 3,
      sends: 2,
    },
    // The article's check: a read equal to boom\r\n, here the third read of 6.
    {
      name: 'an exact crash read',
      match: 'exact',
      recvSize: 6,
      text: 'hello!again!boom\r\nboom\r\n',
      echoed: 'hello!again!',
      reads: 3,
      sends: 2,
    },
  ])('end at $name as one step per read would', async ({ match, recvSize, text, echoed, reads, sends }) => {
    const running = await startEngine({ match, recvSize, policy: 'handled' });
    const received = await sendOnce(running, text);
    expect(received.toString()).toBe(echoed);
    const [failed] = ofKind(running.events, 'failed');
    expect(failed).toMatchObject({ awaitPoint: 'recv', error: { message: 'Unexpected network error' } });
    expect(totals(running.events)).toEqual({
      bytesIn: reads * recvSize,
      reads,
      bytesOut: echoed.length,
      sends,
    });
    // What came after the crash read was never read: closing the socket resets the connection.
    expect(ofKind(running.events, 'closed')).toMatchObject([{ reset: true }]);
  });
});
