import { decodeUtf8, readBodyWithLimit } from "../../../shared/http/body.ts";
import { requireMediaType } from "../../../shared/http/media-type.ts";
import { Problem } from "../../../shared/http/problem.ts";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketMessage } from "../../../shared/tickets/schema.ts";
import { ticketPayloadSchema } from "../../../shared/tickets/schema.ts";
import { verifyWebhook } from "../../../shared/webhook/signature.ts";
import type { IngestEnv } from "./env.ts";
import { isWellFormedKeyId, WEBHOOK_KEY_ID_HEADER } from "../../../shared/webhook/keys.ts";
import { findWebhookKey } from "./webhook-keys.ts";

/** The edge caps bodies too; ingest does not rely on being called only through it. */
export const MAX_TICKET_BODY_BYTES = 256 * 1024;

const REQUIRED_HEADERS = [
  WEBHOOK_KEY_ID_HEADER,
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
] as const;

export interface AcceptedTicket {
  ticketId: string;
  tenantId: string;
}

/**
 * Checks, in order of cost: headers, media type, size, key, signature and timestamp,
 * JSON, schema. Nothing is queued until every check has passed, so a rejected request
 * leaves nothing behind.
 */
export async function receiveTicket(
  request: Request,
  env: IngestEnv,
  now: Date,
): Promise<AcceptedTicket> {
  const headers = readRequiredHeaders(request);
  requireMediaType(request, "application/json", "Send the ticket as application/json.");
  const body = decodeUtf8(await readBodyWithLimit(request, MAX_TICKET_BODY_BYTES));

  const key = isWellFormedKeyId(headers[WEBHOOK_KEY_ID_HEADER])
    ? await findWebhookKey(env.WEBHOOK_KEYS, headers[WEBHOOK_KEY_ID_HEADER])
    : undefined;
  const verdict = await verifyWebhook(
    {
      id: headers["webhook-id"],
      timestamp: headers["webhook-timestamp"],
      signature: headers["webhook-signature"],
    },
    body,
    key?.secrets ?? [],
    Math.floor(now.getTime() / 1000),
  );
  if (!verdict.ok) {
    switch (verdict.reason) {
      case "malformed_header":
        throw new Problem(400, "bad_request", `The ${verdict.header} header is malformed.`);
      case "stale_timestamp":
        throw new Problem(
          401,
          "stale_timestamp",
          "webhook-timestamp is outside the five-minute tolerance.",
        );
      case "invalid_signature":
        // An unknown key and a wrong signature look the same, so keys cannot be probed.
        throw new Problem(
          401,
          "invalid_signature",
          "The signature does not match any active secret.",
        );
    }
  }
  if (!key)
    throw new Problem(401, "invalid_signature", "The signature does not match any active secret.");

  const ticket = ticketPayloadSchema.safeParse(parseJson(body));
  if (!ticket.success) {
    throw new Problem(422, "validation_failed", "The ticket does not match the schema.", {
      fields: ticket.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
      })),
    });
  }

  const message: TicketMessage = {
    version: 1,
    ticketId: createUuidV7(now.getTime()),
    tenantId: key.tenantId,
    webhookId: headers["webhook-id"],
    receivedAt: now.toISOString(),
    ticket: ticket.data,
  };
  try {
    await env.TICKETS.send(message, { contentType: "json" });
  } catch (error) {
    throw new Problem(503, "service_unavailable", "The ticket could not be queued; retry later.", {
      headers: { "retry-after": "5" },
      cause: error,
    });
  }
  return { ticketId: message.ticketId, tenantId: key.tenantId };
}

function readRequiredHeaders(request: Request): Record<(typeof REQUIRED_HEADERS)[number], string> {
  const values: Partial<Record<(typeof REQUIRED_HEADERS)[number], string>> = {};
  for (const name of REQUIRED_HEADERS) {
    const value = request.headers.get(name);
    if (value === null || value === "") {
      throw new Problem(400, "missing_header", `The ${name} header is required.`);
    }
    values[name] = value;
  }
  return values as Record<(typeof REQUIRED_HEADERS)[number], string>;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new Problem(400, "invalid_json", "The request body is not valid JSON.", { cause: error });
  }
}
