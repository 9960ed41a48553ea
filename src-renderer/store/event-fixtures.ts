import type { Snapshot } from '../../src-shared/commands';
import {
  type Counters,
  type EngineEvent,
  EVENT_SCHEMA_VERSION,
  type EventBatch,
  type UnstampedEvent,
} from '../../src-shared/events';
import { DEFAULT_SETTINGS } from '../../src-shared/settings-defaults';
import { ZERO_COUNTERS } from './server-slice';

/** Builds engine events for store tests with increasing `seq` and `at`, as the engine stamps them. */
export class EventFactory {
  seq = 0;

  private stamp(e: UnstampedEvent): EngineEvent {
    this.seq++;
    return { ...e, seq: this.seq, at: 1_000 + this.seq } as EngineEvent;
  }

  listening(port = 8000): EngineEvent {
    return this.stamp({ kind: 'listening', settings: { ...DEFAULT_SETTINGS, port }, port });
  }

  accepted(taskId: number, peerPort = 50_000 + taskId): EngineEvent {
    return this.stamp({
      kind: 'accepted',
      taskId,
      peerAddress: '127.0.0.1',
      peerPort,
      localPort: 8000,
    });
  }

  received(taskId: number, text: string): EngineEvent {
    return this.stamp({
      kind: 'received',
      taskId,
      bytes: text.length,
      reads: 1,
      preview: btoa(text),
    });
  }

  completed(taskId: number): EngineEvent {
    return this.stamp({ kind: 'completed', taskId });
  }

  failed(taskId: number, dangling = true): EngineEvent {
    return this.stamp({
      kind: 'failed',
      taskId,
      error: {
        name: 'Error',
        message: 'Unexpected network error',
        stack: 'Error: Unexpected network error\n    at body',
      },
      policy: 'unhandled',
      awaitPoint: 'recv',
      dangling,
    });
  }

  closed(taskId: number, reason: 'task-ended' | 'finalized' = 'task-ended'): EngineEvent {
    return this.stamp({ kind: 'closed', taskId, reason, reset: false });
  }

  unretrieved(taskId: number): EngineEvent {
    return this.stamp({
      kind: 'unretrieved',
      taskId,
      error: { name: 'Error', message: 'Unexpected network error', stack: 'Error: Unexpected network error' },
      via: 'gc',
    });
  }

  gcRun(finalized: number): EngineEvent {
    return this.stamp({ kind: 'gc-run', available: true, finalized });
  }

  clientOpened(clientId: number, localPort: number): EngineEvent {
    return this.stamp({ kind: 'client-opened', clientId, localPort });
  }
}

export function batchOf(events: EngineEvent[], extra: Partial<EventBatch> = {}): EventBatch {
  const last = events[events.length - 1];
  return {
    v: EVENT_SCHEMA_VERSION,
    events,
    dropped: 0,
    counters: { ...ZERO_COUNTERS, events: last?.seq ?? 0 },
    lastSeq: last?.seq ?? 0,
    ...extra,
  };
}

export function snapshotOf(
  lastSeq: number,
  partial: Partial<Snapshot> = {},
  counters: Partial<Counters> = {},
): Snapshot {
  return {
    v: EVENT_SCHEMA_VERSION,
    lastSeq,
    status: { phase: 'listening', settings: DEFAULT_SETTINGS, boundPort: 8000, gcAvailable: true },
    counters: { ...ZERO_COUNTERS, ...counters },
    tasks: [],
    warnings: [],
    clients: [],
    ...partial,
  };
}
