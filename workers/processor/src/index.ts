import { createPostgresTicketRepository } from "../../../shared/adapters/postgres-ticket-repository.ts";
import { openDatabase } from "../../../shared/db/client.ts";
import { readDatabaseConfig } from "../../../shared/db/database-env.ts";
import { createLogger, describeError } from "../../../shared/log.ts";
import { processTickets } from "../../../shared/processing/process-tickets.ts";
import type { TicketMessage } from "../../../shared/tickets/schema.ts";
import { ticketMessageSchema } from "../../../shared/tickets/schema.ts";
import type { ProcessorEnv } from "./env.ts";
import { lexiconSentimentAnalyzer } from "./lexicon-sentiment-analyzer.ts";
import { createTenantHubPublisher } from "./tenant-hub-publisher.ts";

const logger = createLogger({ worker: "processor" });

/** Exponential backoff for retried messages: 2, 4, 8 seconds, capped. */
const MAX_RETRY_DELAY_SECONDS = 60;

export default {
  async queue(batch, env, ctx): Promise<void> {
    const databaseConfig = readDatabaseConfig("processor", "ticket_writer", env);
    const valid: { message: Message<unknown>; body: TicketMessage }[] = [];
    for (const message of batch.messages) {
      const parsed = ticketMessageSchema.safeParse(message.body);
      if (parsed.success) {
        valid.push({ message, body: parsed.data });
      } else {
        // Invalid now means invalid forever; retrying walks it to the dead-letter queue.
        logger.log("error", "queue.invalid_message", {
          messageId: message.id,
          attempts: message.attempts,
        });
        message.retry({ delaySeconds: 0 });
      }
    }
    if (valid.length === 0) return;

    const database = await openDatabase(databaseConfig);
    try {
      const outcomes = await processTickets(
        valid.map(({ body }) => body),
        {
          repository: createPostgresTicketRepository(database),
          analyzer: lexiconSentimentAnalyzer,
          realtime: createTenantHubPublisher(env.TENANT_HUB),
          logger,
        },
      );
      for (const { message, body } of valid) {
        if (outcomes.get(body.ticketId) === "done") message.ack();
        else
          message.retry({ delaySeconds: Math.min(2 ** message.attempts, MAX_RETRY_DELAY_SECONDS) });
      }
    } catch (error) {
      logger.log("error", "queue.batch_failed", { count: valid.length, ...describeError(error) });
      for (const { message } of valid) message.retry();
    } finally {
      ctx.waitUntil(database.close());
    }
  },
} satisfies ExportedHandler<ProcessorEnv, unknown>;
