import type { TicketMessage } from "../../../shared/tickets/schema.ts";

export interface IngestEnv {
  WEBHOOK_KEYS: KVNamespace;
  TICKETS: Queue<TicketMessage>;
}
