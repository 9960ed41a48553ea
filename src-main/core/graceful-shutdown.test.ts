import { afterEach, describe, expect, it } from 'vitest';
import { type GracefulStop, handleShutdownSignals } from './graceful-shutdown';

/** A host that records what it was told and the exit codes it was asked for. */
function recordingHost(): {
  notices: string[];
  exits: number[];
  exit: (code: number) => void;
  notice: (t: string) => void;
} {
  const notices: string[] = [];
  const exits: number[] = [];
  return { notices, exits, exit: (code) => exits.push(code), notice: (t) => notices.push(t) };
}

const stops: GracefulStop[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop.dispose();
});

describe('handleShutdownSignals: the exit codes the README documents', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('exits 0 after the graceful stop on %s', async (signal) => {
    const host = recordingHost();
    stops.push(handleShutdownSignals(async () => {}, host));
    process.emit(signal, signal);
    await new Promise((r) => setImmediate(r));
    expect(host.exits).toEqual([0]);
    expect(host.notices).toEqual([`Received ${signal}: shutting down (send it again to force)`]);
  });

  it('exits 1 when the graceful stop fails', async () => {
    const host = recordingHost();
    stops.push(handleShutdownSignals(async () => Promise.reject(new Error('disk gone')), host));
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setImmediate(r));
    expect(host.exits).toEqual([1]);
    expect(host.notices.at(-1)).toBe('Shutdown failed: disk gone');
  });

  it('exits 130 when a second signal, of either kind, arrives during the stop', () => {
    const host = recordingHost();
    stops.push(handleShutdownSignals(() => new Promise(() => {}), host));
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    expect(host.exits).toEqual([130]);
    expect(host.notices.at(-1)).toBe('Received SIGTERM again: forcing exit');
  });
});
