import type { SentimentLabel } from "../sentiment/lexicon-analyzer.ts";

/**
 * What TenantHub sends to an agent's browser. Small on purpose: enough to draw a row;
 * the full ticket is fetched through the dashboard, under the tenant's session.
 */
export interface SentimentView {
  label: SentimentLabel;
  score: number;
  analyzer: string;
}

export interface TicketSummary {
  id: string;
  externalId: string;
  subject: string;
  category: string | null;
  customerName: string;
  receivedAt: string;
  sentiment: SentimentView | null;
}

export type TicketEvent =
  | { type: "ticket.created"; ticket: TicketSummary }
  | { type: "ticket.updated"; ticket: { id: string; sentiment: SentimentView } };
