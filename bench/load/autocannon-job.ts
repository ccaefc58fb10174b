/**
 * The contract between a scenario and bench/load/autocannon.ts, which runs in its own
 * process (pinned to the load CPU) and prints one LoadResult as JSON on stdout.
 */
export interface PlainRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadJob {
  /** Origin of a server the scenario started on loopback, e.g. http://127.0.0.1:8787. */
  url: string;
  connections: number;
  /** Responses discarded before measuring, on the same connections. */
  warmupRequests: number;
  measuredRequests: number;
  /** Per-request timeout. */
  timeoutSeconds: number;
  /** The whole run stops after this long even if requests are still missing. */
  maxSeconds: number;
  /**
   * Sent in order, each at most once, across all connections. Must hold at least
   * warmupRequests + measuredRequests + connections entries (autocannon prepares each
   * connection's next request before it knows whether it will be sent).
   */
  requests: PlainRequest[];
}

export interface LoadResult {
  warmupStatusCounts: Record<string, number>;
  /** Per measured response, in completion order. */
  latenciesMs: number[];
  /** Completion time of each measured response, ms after the last warm-up response. */
  completedAtMs: number[];
  statusCounts: Record<string, number>;
  /** Connection errors and timeouts over the whole run, warm-up included. */
  errors: number;
  timeouts: number;
  /** True when more requests were asked for than the pool holds (some were then sent twice). */
  poolExhausted: boolean;
  stoppedByTimeLimit: boolean;
}
