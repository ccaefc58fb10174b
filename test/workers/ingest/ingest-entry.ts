import ingest from "../../../workers/ingest/src/index.ts";
import type { IngestEnv } from "../../../workers/ingest/src/env.ts";
import type { TicketMessage } from "../../../shared/tickets/schema.ts";

/**
 * The ingest worker as deployed, plus a consumer of its own queue. The entry runs in
 * the tests' isolate, so tests read `deliveredMessages` to see exactly what reached the
 * real Miniflare queue.
 */
export const deliveredMessages: TicketMessage[] = [];

export default {
  fetch: (request, env) => ingest.fetch(request, env),
  async queue(batch) {
    for (const message of batch.messages) {
      deliveredMessages.push(message.body);
      message.ack();
    }
  },
} satisfies ExportedHandler<IngestEnv, TicketMessage>;
