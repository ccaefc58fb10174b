import { and, desc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import { withTenant } from "../db/client.ts";
import { tickets, ticketSentiments } from "../db/schema.ts";
import type { SentimentView, TicketSummary } from "../realtime/events.ts";
import type { SentimentLabel } from "../sentiment/lexicon-analyzer.ts";

export const TICKET_PAGE_SIZE = 50;

export interface TicketDetail extends TicketSummary {
  body: string;
  customerEmail: string;
}

/**
 * The dashboard's reads, as the `ticket_reader` role. Every query also names the
 * tenant, so isolation holds twice: in the WHERE clause and in the row-level policy.
 */
export function createPostgresTicketReader(handle: DatabaseHandle) {
  return {
    async listTickets(tenantId: string, limit = TICKET_PAGE_SIZE): Promise<TicketSummary[]> {
      return withTenant(handle, tenantId, async (tx) => {
        const rows = await tx
          .select(summaryColumns)
          .from(tickets)
          .leftJoin(ticketSentiments, eq(ticketSentiments.ticketId, tickets.id))
          .where(eq(tickets.tenantId, tenantId))
          .orderBy(desc(tickets.receivedAt), desc(tickets.id))
          .limit(limit);
        return rows.map(toSummary);
      });
    },

    async findTicket(tenantId: string, ticketId: string): Promise<TicketDetail | undefined> {
      return withTenant(handle, tenantId, async (tx) => {
        const [row] = await tx
          .select({ ...summaryColumns, body: tickets.body, customerEmail: tickets.customerEmail })
          .from(tickets)
          .leftJoin(ticketSentiments, eq(ticketSentiments.ticketId, tickets.id))
          .where(and(eq(tickets.tenantId, tenantId), eq(tickets.id, ticketId)))
          .limit(1);
        if (!row) return undefined;
        return { ...toSummary(row), body: row.body, customerEmail: row.customerEmail };
      });
    },
  };
}

export type TicketReader = ReturnType<typeof createPostgresTicketReader>;

const summaryColumns = {
  id: tickets.id,
  externalId: tickets.externalId,
  subject: tickets.subject,
  category: tickets.category,
  customerName: tickets.customerName,
  receivedAt: tickets.receivedAt,
  sentimentLabel: ticketSentiments.label,
  sentimentScore: ticketSentiments.score,
  sentimentAnalyzer: ticketSentiments.analyzer,
};

interface SummaryRow {
  id: string;
  externalId: string;
  subject: string;
  category: string | null;
  customerName: string;
  receivedAt: Date;
  sentimentLabel: string | null;
  sentimentScore: number | null;
  sentimentAnalyzer: string | null;
}

function toSummary(row: SummaryRow): TicketSummary {
  const sentiment: SentimentView | null =
    row.sentimentLabel !== null && row.sentimentScore !== null && row.sentimentAnalyzer !== null
      ? {
          label: row.sentimentLabel as SentimentLabel,
          score: row.sentimentScore,
          analyzer: row.sentimentAnalyzer,
        }
      : null;
  return {
    id: row.id,
    externalId: row.externalId,
    subject: row.subject,
    category: row.category,
    customerName: row.customerName,
    receivedAt: row.receivedAt.toISOString(),
    sentiment,
  };
}
