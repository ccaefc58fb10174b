import { and, eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import { withTenant } from "../db/client.ts";
import { tickets, ticketSentiments } from "../db/schema.ts";
import type { StoredTicket, TicketRepository } from "../ports.ts";
import type { TicketMessage } from "../tickets/schema.ts";

/** The processor's writes, as the `ticket_writer` role, inside tenant-scoped transactions. */
export function createPostgresTicketRepository(handle: DatabaseHandle): TicketRepository {
  return {
    async saveTickets(tenantId, messages) {
      if (messages.length === 0) return [];
      return withTenant(handle, tenantId, async (tx) => {
        const inserted = await tx
          .insert(tickets)
          .values(messages.map((message) => toTicketRow(message)))
          .onConflictDoNothing()
          .returning({ id: tickets.id });
        const insertedIds = new Set(inserted.map((row) => row.id));

        const existing = await tx
          .select({
            id: tickets.id,
            externalId: tickets.externalId,
            analysedTicketId: ticketSentiments.ticketId,
          })
          .from(tickets)
          .leftJoin(ticketSentiments, eq(ticketSentiments.ticketId, tickets.id))
          .where(
            and(
              eq(tickets.tenantId, tenantId),
              inArray(
                tickets.externalId,
                messages.map((message) => message.ticket.externalId),
              ),
            ),
          );
        return existing.map((row): StoredTicket => ({
          ticketId: row.id,
          externalId: row.externalId,
          isNew: insertedIds.has(row.id),
          hasSentiment: row.analysedTicketId !== null,
        }));
      });
    },

    async saveSentiments(tenantId, results) {
      if (results.length === 0) return;
      await withTenant(handle, tenantId, async (tx) => {
        await tx
          .insert(ticketSentiments)
          .values(
            results.map(({ ticketId, sentiment }) => ({
              ticketId,
              tenantId,
              label: sentiment.label,
              score: sentiment.score,
              analyzer: sentiment.analyzer,
            })),
          )
          .onConflictDoNothing({ target: ticketSentiments.ticketId });
      });
    },
  };
}

function toTicketRow(message: TicketMessage): typeof tickets.$inferInsert {
  return {
    id: message.ticketId,
    tenantId: message.tenantId,
    externalId: message.ticket.externalId,
    webhookId: message.webhookId,
    subject: message.ticket.subject,
    body: message.ticket.body,
    category: message.ticket.category ?? null,
    customerName: message.ticket.customer.name,
    customerEmail: message.ticket.customer.email,
    receivedAt: new Date(message.receivedAt),
  };
}
