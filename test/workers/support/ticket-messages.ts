import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketMessage, TicketPayload } from "../../../shared/tickets/schema.ts";

/** A ticket as a merchant sends it, unique per call so tests never share rows. */
export function buildTicketPayload(overrides: Partial<TicketPayload> = {}): TicketPayload {
  return {
    externalId: `ext-${crypto.randomUUID()}`,
    subject: "Card declined at checkout",
    body: "My card was declined twice today although my balance is fine. Please help.",
    category: "Credit card",
    customer: { name: "Jane Doe", email: "jane.doe@example.com" },
    ...overrides,
  };
}

/** What ingest would queue for `tenantId`. */
export function buildTicketMessage(
  tenantId: string,
  ticket: TicketPayload = buildTicketPayload(),
  overrides: Partial<Omit<TicketMessage, "ticket">> = {},
): TicketMessage {
  return {
    version: 1,
    ticketId: createUuidV7(),
    tenantId,
    webhookId: `msg_${crypto.randomUUID()}`,
    receivedAt: new Date().toISOString(),
    ticket,
    ...overrides,
  };
}
