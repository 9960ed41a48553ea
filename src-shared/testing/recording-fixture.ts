/**
 * A small hand-made recording for tests of the pure recording modules: one run in which task 1 echoes
 * and completes, task 2 crashes under `unhandled` (dangles, is collected), task 3 is cancelled at stop,
 * and a built-in client comes and goes.
 */
import type { EngineEvent, UnstampedEvent } from '../events';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader } from '../recording/recording-format';
import { DEFAULT_SETTINGS } from '../settings-defaults';

export const FIXTURE_START = 1_700_000_000_000;

export const FIXTURE_HEADER: RecordingHeader = {
  format: RECORDING_FORMAT,
  version: RECORDING_VERSION,
  eventSchema: 1,
  startedAt: FIXTURE_START,
  startedAtIso: new Date(FIXTURE_START).toISOString(),
  settings: DEFAULT_SETTINGS,
  limitBytes: 1024 * 1024,
  recorder: 'test',
};

const error = {
  name: 'Error',
  message: 'Unexpected network error',
  stack: 'Error: Unexpected network error\n    at echo',
};

/** [milliseconds after the start, event] pairs; seq is their order. */
const TIMELINE: [number, UnstampedEvent][] = [
  [1, { kind: 'listening', settings: DEFAULT_SETTINGS, port: 8000 }],
  [10, { kind: 'accepted', taskId: 1, peerAddress: '127.0.0.1', peerPort: 50001, localPort: 8000 }],
  [11, { kind: 'parked', taskId: 1, awaitPoint: 'recv' }],
  [20, { kind: 'accepted', taskId: 2, peerAddress: '127.0.0.1', peerPort: 50002, localPort: 8000 }],
  [21, { kind: 'parked', taskId: 2, awaitPoint: 'recv' }],
  [30, { kind: 'received', taskId: 1, bytes: 6, reads: 1, preview: 'aGVsbG8K' }],
  [30, { kind: 'echoed', taskId: 1, bytes: 6, sends: 1 }],
  [40, { kind: 'failed', taskId: 2, error, policy: 'unhandled', awaitPoint: 'recv', dangling: true }],
  [50, { kind: 'completed', taskId: 1 }],
  [50, { kind: 'closed', taskId: 1, reason: 'task-ended', reset: false }],
  [55, { kind: 'client-opened', clientId: 1, localPort: 50003 }],
  [56, { kind: 'accepted', taskId: 3, peerAddress: '127.0.0.1', peerPort: 50003, localPort: 8000 }],
  [57, { kind: 'parked', taskId: 3, awaitPoint: 'recv' }],
  [58, { kind: 'client-sent', clientId: 1, bytes: 3, preview: 'aGkK' }],
  [60, { kind: 'unretrieved', taskId: 2, error, via: 'gc' }],
  [60, { kind: 'closed', taskId: 2, reason: 'finalized', reset: false }],
  [61, { kind: 'gc-run', available: true, finalized: 1 }],
  [70, { kind: 'stopping', live: 1 }],
  [71, { kind: 'cancelled', taskId: 3, awaitPoint: 'recv', reason: 'stop' }],
  [71, { kind: 'closed', taskId: 3, reason: 'task-ended', reset: false }],
  [72, { kind: 'client-closed', clientId: 1, reason: 'eof' }],
  [73, { kind: 'stopped', cancelled: 1, forced: 0, durationMs: 3 }],
];

export const FIXTURE_EVENTS: EngineEvent[] = TIMELINE.map(
  ([ms, e], i) => ({ ...e, seq: i + 1, at: FIXTURE_START + ms }) as EngineEvent,
);

/** The fixture as a file's text: header, one event a line, then `tail` (an end notice by default). */
export function fixtureText(
  events: readonly EngineEvent[] = FIXTURE_EVENTS,
  tail = `${JSON.stringify({ notice: 'end', at: FIXTURE_START + 80, events: events.length, message: 'Recording ended' })}\n`,
): string {
  return `${[JSON.stringify(FIXTURE_HEADER), ...events.map((e) => JSON.stringify(e))].join('\n')}\n${tail}`;
}
