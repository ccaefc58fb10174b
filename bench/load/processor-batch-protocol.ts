import type { DatabaseFixture } from "../../test/support/database-fixture.ts";

/** What the processor-batch scenario and its load process (processor-batch-client.ts) exchange. */
export interface ProcessorBatchConfig {
  fixture: DatabaseFixture;
  /** The bench processor worker (bench/fixtures/processor-worker) served by Miniflare. */
  workerUrl: string;
  batchSizes: number[];
  /** Tickets per batch size and variant; a multiple of rounds × every batch size. */
  ticketsPerSize: number;
  /** Throughput is one sample per round; variants take turns round by round. */
  rounds: number;
}

export type ProcessorVariantId = "handler" | "open-connection" | "pg-single-row" | "pg-multi-row";

export interface ProcessorVariantResult {
  /** One sample per round: tickets in the round over the round's wall time. */
  ticketsPerSecond: number[];
  /** One sample per batch (for pg-single-row, per row); for open-connection, timed inside workerd. */
  batchMs: number[];
}

export interface ProcessorBatchResult {
  /** By batch size, then by variant; pg-multi-row is absent for a batch size of 1. */
  bySize: Record<string, Partial<Record<ProcessorVariantId, ProcessorVariantResult>>>;
  /** Rows in tickets and ticket_sentiments written by ours, checked after the run. */
  rowsWritten: { tickets: number; sentiments: number; expected: number };
  averageBodyChars: number;
}
