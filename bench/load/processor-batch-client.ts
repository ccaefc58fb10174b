import pg from "pg";
import { createUuidV7 } from "../../shared/ids.ts";
import type { TicketMessage } from "../../shared/tickets/schema.ts";
import { MAX_BODY_CHARS, ticketMessageSchema } from "../../shared/tickets/schema.ts";
import { readComplaintNarratives } from "../lib/shared-data.ts";
import type {
  ProcessorBatchConfig,
  ProcessorBatchResult,
  ProcessorVariantId,
  ProcessorVariantResult,
} from "./processor-batch-protocol.ts";

/**
 * The processor benchmark's load process, pinned to the load CPU:
 *
 *   BENCH_PROCESSOR_CONFIG='<ProcessorBatchConfig as JSON>' node bench/load/processor-batch-client.ts
 *
 * For each batch size, takes turns round by round between four ways of getting the same
 * kind of tickets into the same Postgres:
 * - handler: one POST per batch to the bench processor worker, which hands the batch to
 *   the processor's own queue() handler inside workerd (timed here, request to answer);
 * - open-connection: one POST per round; the worker runs every batch of the round
 *   through processTickets on one connection (batches timed inside workerd);
 * - pg-single-row: `pg` straight to Postgres, one INSERT (its own transaction) per ticket;
 * - pg-multi-row: `pg`, one multi-row INSERT per batch.
 * The pg baselines write to bench_tickets, created here with the shape of tickets.
 * Prints one JSON line (ProcessorBatchResult).
 */

const TICKET_COLUMNS = [
  "id",
  "tenant_id",
  "external_id",
  "webhook_id",
  "subject",
  "body",
  "category",
  "customer_name",
  "customer_email",
  "received_at",
] as const;
const CATEGORIES = [
  "Credit reporting",
  "Debt collection",
  "Credit card",
  "Mortgage",
  "Checking or savings account",
];
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

// From the environment, not argv: the fixture holds database passwords.
const config = JSON.parse(process.env.BENCH_PROCESSOR_CONFIG ?? "") as ProcessorBatchConfig;
const { fixture } = config;
const firstTenant = fixture.tenants[0];
if (!firstTenant) throw new Error("the database fixture has no tenant");
const tenantId = firstTenant.tenantId;
const runId = Date.now().toString(36);
const narratives = (await readComplaintNarratives()).map((text) =>
  text.replace(CONTROL_CHARACTERS, " ").trim().slice(0, MAX_BODY_CHARS),
);
let ticketSerial = 0;

const admin = new pg.Client({ connectionString: fixture.adminUrl });
await admin.connect();
try {
  await admin.query("drop table if exists bench_tickets");
  // Same columns, defaults, checks and indexes (primary key, both unique keys); no
  // foreign key, no row-level security: the plainest table of that shape.
  await admin.query("create table bench_tickets (like tickets including all)");

  const result: ProcessorBatchResult = {
    bySize: {},
    rowsWritten: { tickets: 0, sentiments: 0, expected: 0 },
    averageBodyChars: Math.round(
      narratives.reduce((sum, text) => sum + text.length, 0) / narratives.length,
    ),
  };
  let warmupTickets = 0;
  for (const batchSize of config.batchSizes) {
    const variants: ProcessorVariantId[] =
      batchSize === 1
        ? ["handler", "open-connection", "pg-single-row"]
        : ["handler", "open-connection", "pg-single-row", "pg-multi-row"];
    const bySize: Partial<Record<ProcessorVariantId, ProcessorVariantResult>> = {};
    const perRound = config.ticketsPerSize / config.rounds;
    // One round of each variant first, not counted: connections, JIT, plan caches.
    for (let round = -1; round < config.rounds; round++) {
      for (const variant of variants) {
        const batches = Array.from({ length: perRound / batchSize }, () => buildBatch(batchSize));
        const started = performance.now();
        const batchMs = await runRound(variant, batches);
        const elapsedSeconds = (performance.now() - started) / 1000;
        const writesTickets = variant === "handler" || variant === "open-connection";
        if (round < 0) {
          if (writesTickets) warmupTickets += perRound;
          continue;
        }
        if (writesTickets) result.rowsWritten.expected += perRound;
        const entry = (bySize[variant] ??= { ticketsPerSecond: [], batchMs: [] });
        entry.ticketsPerSecond.push(perRound / elapsedSeconds);
        entry.batchMs.push(...batchMs);
      }
    }
    result.bySize[String(batchSize)] = bySize;
  }

  const counts = await admin.query<{ tickets: string; sentiments: string }>(
    `select (select count(*) from tickets where external_id like $1) as tickets,
            (select count(*) from ticket_sentiments s join tickets t on t.id = s.ticket_id
              where t.external_id like $1) as sentiments`,
    [`bench-${runId}-%`],
  );
  // The warm-up rounds wrote too; count what the measured rounds should have written.
  result.rowsWritten.tickets = Number(counts.rows[0]?.tickets ?? 0) - warmupTickets;
  result.rowsWritten.sentiments = Number(counts.rows[0]?.sentiments ?? 0) - warmupTickets;
  await admin.query("drop table bench_tickets");
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await admin.end();
}

/** Runs one round of batches; returns the time of each batch (of each row for single-row). */
async function runRound(
  variant: ProcessorVariantId,
  batches: TicketMessage[][],
): Promise<number[]> {
  const times: number[] = [];
  switch (variant) {
    case "handler":
      for (const batch of batches) {
        const started = performance.now();
        const { acked, retried } = await post<{ acked: number; retried: number }>("/queue", batch);
        times.push(performance.now() - started);
        if (acked !== batch.length)
          throw new Error(
            `the queue handler acked ${acked} of ${batch.length} (${retried} retried)`,
          );
      }
      return times;
    case "open-connection": {
      const { batchMs, done } = await post<{ batchMs: number[]; done: number }>(
        "/open-connection",
        batches,
      );
      const expected = batches.reduce((sum, batch) => sum + batch.length, 0);
      if (done !== expected)
        throw new Error(`processTickets finished ${done} of ${expected} tickets`);
      return batchMs;
    }
    case "pg-single-row":
      for (const message of batches.flat()) {
        const started = performance.now();
        await admin.query(insertStatement(1), toRow(message));
        times.push(performance.now() - started);
      }
      return times;
    case "pg-multi-row":
      for (const batch of batches) {
        const started = performance.now();
        await admin.query(insertStatement(batch.length), batch.flatMap(toRow));
        times.push(performance.now() - started);
      }
      return times;
  }
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${config.workerUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

function insertStatement(rows: number): string {
  const tuples = Array.from(
    { length: rows },
    (_, row) =>
      `(${TICKET_COLUMNS.map((_, column) => `$${row * TICKET_COLUMNS.length + column + 1}`).join(", ")})`,
  );
  return `insert into bench_tickets (${TICKET_COLUMNS.join(", ")}) values ${tuples.join(", ")}`;
}

function toRow(message: TicketMessage): (string | null)[] {
  return [
    message.ticketId,
    message.tenantId,
    message.ticket.externalId,
    message.webhookId,
    message.ticket.subject,
    message.ticket.body,
    message.ticket.category ?? null,
    message.ticket.customer.name,
    message.ticket.customer.email,
    message.receivedAt,
  ];
}

/** Queue messages as ingest would send them, with a CFPB narrative as each body. */
function buildBatch(size: number): TicketMessage[] {
  return Array.from({ length: size }, () => {
    const serial = ticketSerial++;
    const body = narratives[serial % narratives.length] ?? "No narrative.";
    const firstLine = body.split(/[\r\n]+/)[0] ?? body;
    const message: TicketMessage = {
      version: 1,
      ticketId: createUuidV7(),
      tenantId,
      webhookId: `msg_bench_${runId}_${serial}`,
      receivedAt: new Date().toISOString(),
      ticket: {
        externalId: `bench-${runId}-${serial}`,
        subject: firstLine.slice(0, 120).trim() || "Complaint",
        body,
        category: CATEGORIES[serial % CATEGORIES.length] ?? "Other",
        customer: { name: `Consumer ${serial}`, email: `consumer-${serial}@customers.example` },
      },
    };
    return ticketMessageSchema.parse(message);
  });
}
