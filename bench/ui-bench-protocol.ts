/**
 * Messages between the UI benchmark and its load generator: a request's type as a line on the
 * generator's stdin, each reply as a JSON line on its stdout.
 */

/** What the generator is asked to do, from its command line. */
export interface LoadPlan {
  port: number;
  /** Connections held open throughout (churn closes some and opens as many new ones). */
  connections: number;
  /** How long the burst lasts. */
  seconds: number;
  /** Lines per second across all connections (each connection gets its turn round-robin). */
  linesPerSecond: number;
  /** Connections closed and replaced per second during the burst. */
  churnPerSecond: number;
  /**
   * Lines awaiting their echo across all connections, at most. Keeps the server's ready sockets
   * bounded (0 = one per connection, i.e. up to every connection at once).
   */
  maxInFlight: number;
}

export type GeneratorRequest = { type: 'burst' } | { type: 'tally' } | { type: 'exit' };

export type GeneratorReply =
  | { type: 'opened'; connections: number; errors: number; ms: number }
  | {
      type: 'burst-done';
      /** Every connection that reached `connect` since the generator started (initial + churn). */
      opened: number;
      /** Connections the generator closed itself (churn). */
      closed: number;
      linesSent: number;
      bytesSent: number;
      bytesEchoed: number;
      /** Connections that failed to open or errored. */
      errors: number;
      seconds: number;
      /** Connections still open, held idle until the server stops. */
      holding: number;
    }
  /** Asked for once the server is quiet: replacement connects still in flight at burst end have landed. */
  | { type: 'tally'; opened: number; pending: number; errors: number };
