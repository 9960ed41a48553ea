import type { Counters } from '../src-shared/events';

/** Messages between the benchmark orchestrator and a Node server under test (Node IPC channel). */
export type BenchRequest =
  | { type: 'memory' }
  | { type: 'counters' }
  | { type: 'stop' }
  /** Full (mark-compact) collections since the server started. */
  | { type: 'major-gcs' }
  | { type: 'exit' };

export type BenchReply =
  | { type: 'ready'; port: number }
  /** After two full collections. */
  | { type: 'memory'; rss: number; heapUsed: number; external: number }
  | { type: 'counters'; engine: EngineTally | null }
  | { type: 'stopped'; durationMs: number; cancelled: number; cancelledEvents: number }
  | { type: 'major-gcs'; count: number };

/** The engine's exact counters beside what its subscriber actually received in batches. */
export interface EngineTally {
  counters: Counters;
  /** `failed` / `cancelled` events the subscriber saw, detail events dropped, batches and their JSON bytes. */
  seen: { failed: number; cancelled: number; dropped: number; batches: number; bytes: number };
}

/** What a load generator (bench/echo-load.c, or bench/load-driver.ts) prints as one JSON line. */
export type DriverResult =
  | { scenario: 'rtt'; roundTrips: number; seconds: number; errors: number; p50us: number; p99us: number }
  | { scenario: 'bulk'; bytes: number; seconds: number; errors: number }
  /** `unfinished`: connections still open when the time ran out (abandoned, not counted). */
  | { scenario: 'churn'; connections: number; seconds: number; errors: number; unfinished: number }
  | { scenario: 'hold'; connected: number; errors: number };
