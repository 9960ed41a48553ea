/** Messages between the benchmark orchestrator and a server under test (Node IPC channel). */
export type BenchRequest = { type: 'memory' } | { type: 'counters' } | { type: 'stop' } | { type: 'exit' };

export type BenchReply =
  | { type: 'ready'; port: number }
  | { type: 'memory'; rss: number; heapUsed: number; external: number }
  | { type: 'counters'; events: number; batches: number; batchBytes: number; cpuMicros: number }
  | { type: 'stopped'; durationMs: number; cancelled: number; cancelledEvents: number };

/** What the load driver prints (one JSON line) when a scenario ends. */
export type DriverResult =
  | { scenario: 'rtt'; roundTrips: number; seconds: number; errors: number }
  | { scenario: 'bulk'; bytes: number; seconds: number; errors: number }
  | { scenario: 'hold'; connected: number; errors: number };
