import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { IngestEnv } from "../../../workers/ingest/src/env.ts";
import { buildSignedRequest, createSecret } from "../support/signed-ticket-request.ts";
import { buildTicketPayload } from "../support/ticket-messages.ts";

/**
 * What exactly is signed and read: the raw UTF-8 bytes the merchant sent, nothing
 * decoded differently, nothing silently stripped.
 */
const ingest = (exports as unknown as { default: Fetcher }).default;
const ingestEnv = env as unknown as IngestEnv;
const key = { webhookKeyId: "whk_encoding", webhookSecret: createSecret() };

beforeAll(async () => {
  await ingestEnv.WEBHOOK_KEYS.put(
    `webhook-key:${key.webhookKeyId}`,
    JSON.stringify({ tenantId: createUuidV7(), secrets: [key.webhookSecret] }),
  );
});

describe("request body encoding", () => {
  it("refuses a JSON body labelled with a charset other than UTF-8", async () => {
    // Regression: application/json; charset=utf-16 was accepted and read as UTF-8.
    for (const charset of ["utf-16", "iso-8859-1", "made-up"]) {
      const body = JSON.stringify(buildTicketPayload());
      const request = await buildSignedRequest(key, body, {
        headers: { "content-type": `application/json; charset=${charset}` },
      });

      const response = await ingest.fetch(request);

      expect(response.status, charset).toBe(415);
      expect(await response.json()).toMatchObject({ code: "unsupported_media_type" });
    }
  });

  it("accepts the UTF-8 charset label in either spelling", async () => {
    for (const charset of ["utf-8", "UTF-8", '"utf8"']) {
      const body = JSON.stringify(buildTicketPayload());
      const request = await buildSignedRequest(key, body, {
        headers: { "content-type": `application/json; charset=${charset}` },
      });

      expect((await ingest.fetch(request)).status, charset).toBe(202);
    }
  });

  it("verifies the bytes as sent: a byte-order mark added to a signed body breaks it", async () => {
    // Regression: the decoder stripped a leading BOM, so a captured request with one
    // prepended still verified although its bytes differed from what was signed.
    const body = JSON.stringify(buildTicketPayload());
    const request = await buildSignedRequest(key, body, { rawBody: `\ufeff${body}` });

    const response = await ingest.fetch(request);

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "invalid_signature" });
  });
});
