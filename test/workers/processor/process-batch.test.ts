import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SQL } from "drizzle-orm";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTenant } from "../../../shared/db/client.ts";
import { tickets, ticketSentiments } from "../../../shared/db/schema.ts";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketEvent } from "../../../shared/realtime/events.ts";
import type { ProcessorEnv } from "../../../workers/processor/src/env.ts";
import { connectToHub } from "../support/tenant-hub-client.ts";
import { readTestDatabase, tenantAt, withAdminDatabase } from "../support/test-database.ts";
import { buildTicketMessage, buildTicketPayload } from "../support/ticket-messages.ts";
import processor from "./processor-entry.ts";

/**
 * The processor's queue handler inside workerd, writing to the run's real Postgres as
 * ticket_writer and publishing to real TenantHub Durable Objects. Rows are checked by
 * reading back under row-level security as ticket_reader.
 */

const processorEnv = env as unknown as ProcessorEnv & { TEST_DATABASE: string };
const database = readTestDatabase(processorEnv.TEST_DATABASE);
const alpha = tenantAt(database, 0);
const beta = tenantAt(database, 1);

interface StoredRow {
  id: string;
  externalId: string;
  webhookId: string;
  subject: string;
  body: string;
  customerName: string;
  sentimentLabel: string | null;
  sentimentAnalyzer: string | null;
}

describe("a valid batch", () => {
  it("stores each ticket with a sentiment label and acks every message", async () => {
    const angry = buildTicketMessage(
      alpha.tenantId,
      buildTicketPayload({
        body: "This is terrible, the worst service. I am furious and want a refund.",
      }),
    );
    const calm = buildTicketMessage(alpha.tenantId);

    const { result, messageIds } = await runBatch([angry, calm]);

    expect(result.explicitAcks.sort()).toEqual([...messageIds].sort());
    expect(result.retryMessages).toEqual([]);
    const rows = await readStoredTickets(alpha.tenantId, [
      angry.ticket.externalId,
      calm.ticket.externalId,
    ]);
    expect(rows).toHaveLength(2);
    const angryRow = rows.find((row) => row.id === angry.ticketId);
    expect(angryRow).toMatchObject({
      externalId: angry.ticket.externalId,
      webhookId: angry.webhookId,
      subject: angry.ticket.subject,
      body: angry.ticket.body,
      sentimentLabel: "negative",
      sentimentAnalyzer: "lexicon",
    });
    const calmRow = rows.find((row) => row.id === calm.ticketId);
    expect(["positive", "neutral", "negative"]).toContain(calmRow?.sentimentLabel);
  });

  it("keeps each tenant's tickets out of the other tenant's view", async () => {
    const forAlpha = buildTicketMessage(alpha.tenantId);
    const forBeta = buildTicketMessage(beta.tenantId);

    await runBatch([forAlpha, forBeta]);

    const externalIds = [forAlpha.ticket.externalId, forBeta.ticket.externalId];
    expect((await readStoredTickets(alpha.tenantId, externalIds)).map((row) => row.id)).toEqual([
      forAlpha.ticketId,
    ]);
    expect((await readStoredTickets(beta.tenantId, externalIds)).map((row) => row.id)).toEqual([
      forBeta.ticketId,
    ]);
  });
});

describe("redeliveries", () => {
  it("stores one row when the same merchant ticket arrives twice in one batch", async () => {
    const ticket = buildTicketPayload();
    const first = buildTicketMessage(alpha.tenantId, ticket);
    const retry = buildTicketMessage(alpha.tenantId, ticket);

    const { result, messageIds } = await runBatch([first, retry]);

    expect(result.explicitAcks.sort()).toEqual([...messageIds].sort());
    const rows = await readStoredTickets(alpha.tenantId, [ticket.externalId]);
    expect(rows.map((row) => row.id)).toEqual([first.ticketId]);
  });

  it("stores one row, and announces nothing new, when the merchant resends in a later batch", async () => {
    const ticket = buildTicketPayload();
    const first = buildTicketMessage(alpha.tenantId, ticket);
    await runBatch([first]);
    const agent = await connectToHub(processorEnv.TENANT_HUB, alpha.tenantId);

    // A new webhook message and a new ticket id: only the merchant's externalId is the same.
    const { result, messageIds } = await runBatch([buildTicketMessage(alpha.tenantId, ticket)]);

    expect(result.explicitAcks).toEqual(messageIds);
    const rows = await readStoredTickets(alpha.tenantId, [ticket.externalId]);
    expect(rows.map((row) => row.id)).toEqual([first.ticketId]);
    // The next ticket is the first thing the agent hears of: the duplicate produced no event.
    const fresh = buildTicketMessage(alpha.tenantId);
    await runBatch([fresh]);
    expect(parseEvent(await agent.nextMessage())).toMatchObject({
      type: "ticket.created",
      ticket: { id: fresh.ticketId },
    });
  });

  it("stores one row when the same webhook id arrives twice, in one batch or two", async () => {
    const webhookId = `msg_${crypto.randomUUID()}`;
    const first = buildTicketMessage(alpha.tenantId, buildTicketPayload(), { webhookId });
    const sameBatch = buildTicketMessage(alpha.tenantId, buildTicketPayload(), { webhookId });
    const laterBatch = buildTicketMessage(alpha.tenantId, buildTicketPayload(), { webhookId });

    const firstRun = await runBatch([first, sameBatch]);
    const secondRun = await runBatch([laterBatch]);

    expect(firstRun.result.retryMessages).toEqual([]);
    expect(secondRun.result.retryMessages).toEqual([]);
    const rows = await readTicketsByWebhookId(alpha.tenantId, webhookId);
    expect(rows.map((row) => row.id)).toEqual([first.ticketId]);
  });
});

describe("a batch with bad messages", () => {
  it("retries each invalid message and acks the valid ones beside it", async () => {
    const valid = buildTicketMessage(alpha.tenantId);
    const alsoValid = buildTicketMessage(beta.tenantId);
    const invalid: unknown[] = [
      { hello: "world" },
      { ...buildTicketMessage(alpha.tenantId), tenantId: "alpha-bank" },
      { ...buildTicketMessage(alpha.tenantId), isAdmin: true },
      buildTicketMessage(alpha.tenantId, buildTicketPayload({ subject: "\u001b[31mred" })),
      "not even an object",
    ];

    const { result, messageIds } = await runBatch([valid, ...invalid, alsoValid]);

    const [validId, ...rest] = messageIds;
    const alsoValidId = rest.pop();
    expect(result.explicitAcks.sort()).toEqual([validId, alsoValidId].sort());
    expect(result.retryMessages.map((retry) => retry.msgId).sort()).toEqual([...rest].sort());
    expect(await readStoredTickets(alpha.tenantId, [valid.ticket.externalId])).toHaveLength(1);
    expect(await readStoredTickets(beta.tenantId, [alsoValid.ticket.externalId])).toHaveLength(1);
  });

  it("retries only the messages of a tenant whose write fails", async () => {
    // A well-formed tenant id with no tenant row: the foreign key refuses the insert.
    const orphan = buildTicketMessage(createUuidV7());
    const valid = buildTicketMessage(alpha.tenantId);

    const { result, messageIds } = await runBatch([orphan, valid]);

    expect(result.explicitAcks).toEqual([messageIds[1]]);
    expect(result.retryMessages.map((retry) => retry.msgId)).toEqual([messageIds[0]]);
    expect(await readStoredTickets(alpha.tenantId, [valid.ticket.externalId])).toHaveLength(1);
  });
});

describe("live updates", () => {
  it("tells tenant A's agents about A's ticket, created then analysed, and tenant B's agents nothing", async () => {
    const alphaAgent = await connectToHub(processorEnv.TENANT_HUB, alpha.tenantId);
    const betaAgent = await connectToHub(processorEnv.TENANT_HUB, beta.tenantId);
    const message = buildTicketMessage(alpha.tenantId);

    await runBatch([message]);

    expect(parseEvent(await alphaAgent.nextMessage())).toEqual({
      type: "ticket.created",
      ticket: {
        id: message.ticketId,
        externalId: message.ticket.externalId,
        subject: message.ticket.subject,
        category: message.ticket.category,
        customerName: message.ticket.customer.name,
        receivedAt: message.receivedAt,
        sentiment: null,
      },
    });
    const updated = parseEvent(await alphaAgent.nextMessage());
    expect(updated).toMatchObject({ type: "ticket.updated", ticket: { id: message.ticketId } });
    const sentiment = updated.type === "ticket.updated" ? updated.ticket.sentiment : undefined;
    expect(sentiment?.analyzer).toBe("lexicon");
    expect(["positive", "neutral", "negative"]).toContain(sentiment?.label);
    expect(sentiment?.score).toBeGreaterThanOrEqual(-1);
    expect(sentiment?.score).toBeLessThanOrEqual(1);
    // B's first event is B's own ticket: nothing of A's reached B before it.
    const betaMessage = buildTicketMessage(beta.tenantId);
    await runBatch([betaMessage]);
    expect(parseEvent(await betaAgent.nextMessage())).toMatchObject({
      type: "ticket.created",
      ticket: { id: betaMessage.ticketId },
    });
  });
});

describe("hostile ticket text", () => {
  it("stores markup and SQL verbatim and leaves every table in place", async () => {
    const message = buildTicketMessage(
      alpha.tenantId,
      buildTicketPayload({
        subject: "<script>alert(1)</script>",
        body: "'; drop table tickets; --\n\" or 1=1; delete from agents; --",
        customer: { name: "Robert'); DROP TABLE ticket_sentiments;--", email: "bobby@example.com" },
      }),
    );
    const agent = await connectToHub(processorEnv.TENANT_HUB, alpha.tenantId);

    const { result } = await runBatch([message]);

    expect(result.retryMessages).toEqual([]);
    const [row] = await readStoredTickets(alpha.tenantId, [message.ticket.externalId]);
    expect(row?.subject).toBe("<script>alert(1)</script>");
    expect(row?.body).toBe("'; drop table tickets; --\n\" or 1=1; delete from agents; --");
    expect(row?.customerName).toBe("Robert'); DROP TABLE ticket_sentiments;--");
    expect(parseEvent(await agent.nextMessage())).toMatchObject({
      ticket: { subject: "<script>alert(1)</script>" },
    });
    const survivors = await withAdminDatabase(database, "ticket_writer", async (handle) => {
      const found = await handle.db.execute<{ name: string | null }>(
        sql`select to_regclass(name)::text as name
            from unnest(array['public.tenants', 'public.agents', 'public.tickets',
                              'public.ticket_sentiments']) as name`,
      );
      return found.rows.map((table) => table.name);
    });
    expect(survivors).toEqual(["tenants", "agents", "tickets", "ticket_sentiments"]);
  });
});

async function runBatch(
  bodies: readonly unknown[],
): Promise<{ result: QueueResult; messageIds: string[] }> {
  const batch = createMessageBatch(
    "tickets",
    bodies.map((body) => ({
      id: `msg-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await processor.queue(batch, processorEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  return { result, messageIds: batch.messages.map((message) => message.id) };
}

/** Reads back as the dashboard would: ticket_reader, inside the tenant's transaction. */
function readStoredTickets(tenantId: string, externalIds: string[]): Promise<StoredRow[]> {
  return readStored(tenantId, inArray(tickets.externalId, externalIds));
}

function readTicketsByWebhookId(tenantId: string, webhookId: string): Promise<StoredRow[]> {
  return readStored(tenantId, eq(tickets.webhookId, webhookId));
}

function readStored(tenantId: string, filter: SQL): Promise<StoredRow[]> {
  return withAdminDatabase(database, "ticket_reader", (handle) =>
    withTenant(handle, tenantId, (tx) =>
      tx
        .select({
          id: tickets.id,
          externalId: tickets.externalId,
          webhookId: tickets.webhookId,
          subject: tickets.subject,
          body: tickets.body,
          customerName: tickets.customerName,
          sentimentLabel: ticketSentiments.label,
          sentimentAnalyzer: ticketSentiments.analyzer,
        })
        .from(tickets)
        .leftJoin(ticketSentiments, eq(ticketSentiments.ticketId, tickets.id))
        .where(and(eq(tickets.tenantId, tenantId), filter)),
    ),
  );
}

function parseEvent(message: string): TicketEvent {
  return JSON.parse(message) as TicketEvent;
}
