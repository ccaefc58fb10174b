import type { TicketEvent } from "./realtime/events.ts";
import type { SentimentResult } from "./sentiment/lexicon-analyzer.ts";
import type { TicketMessage } from "./tickets/schema.ts";

/**
 * The processor's view of the world. Adapters in workers/ implement these against
 * Postgres, Durable Objects and models; tests and benchmarks can swap any of them.
 */

export interface StoredTicket {
  ticketId: string;
  externalId: string;
  /** True only for the delivery that created the row; retries and duplicates see false. */
  isNew: boolean;
  hasSentiment: boolean;
}

export interface TicketRepository {
  /** Inserts what is new (one row per tenant and external id) and reports on every message. */
  saveTickets(tenantId: string, messages: readonly TicketMessage[]): Promise<StoredTicket[]>;
  saveSentiments(
    tenantId: string,
    results: readonly { ticketId: string; sentiment: SentimentResult }[],
  ): Promise<void>;
}

export interface SentimentAnalyzer {
  readonly name: string;
  analyze(text: string): Promise<SentimentResult>;
}

export interface RealtimePublisher {
  /** Sends the events, in order, to the tenant's live agents; one call per batch step. */
  publish(tenantId: string, events: readonly TicketEvent[]): Promise<void>;
}
