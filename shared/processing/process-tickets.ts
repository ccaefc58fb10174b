import type { Logger } from "../log.ts";
import { describeError } from "../log.ts";
import type {
  RealtimePublisher,
  SentimentAnalyzer,
  StoredTicket,
  TicketRepository,
} from "../ports.ts";
import type { TicketEvent, TicketSummary } from "../realtime/events.ts";
import type { SentimentResult } from "../sentiment/lexicon-analyzer.ts";
import type { TicketMessage } from "../tickets/schema.ts";

export interface ProcessorDeps {
  repository: TicketRepository;
  analyzer: SentimentAnalyzer;
  realtime: RealtimePublisher;
  logger: Logger;
}

/** Per message: done (ack) or failed (retry, and after the last retry, dead-letter). */
export type MessageOutcome = "done" | "failed";

/**
 * Stores a batch of tickets, tells agents at once, then analyses and tells them again.
 * Tickets are grouped by tenant so each tenant costs one transaction per step; a failing
 * tenant fails only its own messages. Storing comes first so no analysis failure can
 * keep a ticket from the agents.
 */
export async function processTickets(
  messages: readonly TicketMessage[],
  deps: ProcessorDeps,
): Promise<Map<string, MessageOutcome>> {
  const outcomes = new Map<string, MessageOutcome>();
  for (const [tenantId, tenantMessages] of groupByTenant(messages)) {
    const log = deps.logger.child({ tenantId });
    try {
      await processTenantTickets(tenantId, tenantMessages, deps, log);
      for (const message of tenantMessages) outcomes.set(message.ticketId, "done");
    } catch (error) {
      log.log("error", "tickets.batch_failed", {
        count: tenantMessages.length,
        ...describeError(error),
      });
      for (const message of tenantMessages) outcomes.set(message.ticketId, "failed");
    }
  }
  return outcomes;
}

async function processTenantTickets(
  tenantId: string,
  messages: TicketMessage[],
  deps: ProcessorDeps,
  log: Logger,
): Promise<void> {
  const messageByExternalId = keepFirstPerExternalId(messages);
  const stored = await deps.repository.saveTickets(tenantId, [...messageByExternalId.values()]);
  const inserted = stored.filter((ticket) => ticket.isNew);
  log.log("info", "tickets.stored", { received: messages.length, inserted: inserted.length });

  await publishSafely(
    deps,
    tenantId,
    log,
    inserted.map((ticket) => ({
      type: "ticket.created",
      ticket: summarise(ticket, messageByExternalId.get(ticket.externalId)),
    })),
  );

  const pending = stored.filter((ticket) => !ticket.hasSentiment);
  const results: { ticketId: string; sentiment: SentimentResult }[] = [];
  for (const ticket of pending) {
    const message = messageByExternalId.get(ticket.externalId);
    if (!message) continue;
    const sentiment = await deps.analyzer.analyze(
      `${message.ticket.subject}\n\n${message.ticket.body}`,
    );
    results.push({ ticketId: ticket.ticketId, sentiment });
  }
  if (results.length === 0) return;

  await deps.repository.saveSentiments(tenantId, results);
  log.log("info", "tickets.analysed", { count: results.length, analyzer: deps.analyzer.name });
  await publishSafely(
    deps,
    tenantId,
    log,
    results.map(({ ticketId, sentiment }) => ({
      type: "ticket.updated",
      ticket: { id: ticketId, sentiment: { ...sentiment } },
    })),
  );
}

/** A missed live update is repaired by the next page load; it must not fail the batch. */
async function publishSafely(
  deps: ProcessorDeps,
  tenantId: string,
  log: Logger,
  events: TicketEvent[],
): Promise<void> {
  if (events.length === 0) return;
  try {
    await deps.realtime.publish(tenantId, events);
  } catch (error) {
    log.log("warn", "realtime.publish_failed", { count: events.length, ...describeError(error) });
  }
}

function summarise(ticket: StoredTicket, message: TicketMessage | undefined): TicketSummary {
  if (!message) throw new Error("stored ticket has no message in this batch");
  return {
    id: ticket.ticketId,
    externalId: message.ticket.externalId,
    subject: message.ticket.subject,
    category: message.ticket.category ?? null,
    customerName: message.ticket.customer.name,
    receivedAt: message.receivedAt,
    sentiment: null,
  };
}

/** A merchant retrying inside one batch sends the same ticket twice; the first one wins. */
function keepFirstPerExternalId(messages: readonly TicketMessage[]): Map<string, TicketMessage> {
  const first = new Map<string, TicketMessage>();
  for (const message of messages) {
    if (!first.has(message.ticket.externalId)) first.set(message.ticket.externalId, message);
  }
  return first;
}

function groupByTenant(messages: readonly TicketMessage[]): Map<string, TicketMessage[]> {
  const groups = new Map<string, TicketMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.tenantId) ?? [];
    group.push(message);
    groups.set(message.tenantId, group);
  }
  return groups;
}
