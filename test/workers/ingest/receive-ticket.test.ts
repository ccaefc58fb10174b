import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketMessage } from "../../../shared/tickets/schema.ts";
import type { IngestEnv } from "../../../workers/ingest/src/env.ts";
import type { MerchantKey } from "../support/signed-ticket-request.ts";
import { buildSignedRequest, createSecret, INGEST_URL } from "../support/signed-ticket-request.ts";
import { buildTicketPayload } from "../support/ticket-messages.ts";
import { waitFor } from "../support/wait.ts";
import { deliveredMessages } from "./ingest-entry.ts";

/**
 * Ingest inside workerd with real Miniflare KV and a real queue. Every rejection is
 * followed by a valid ticket: when only that ticket reaches the queue, the rejected
 * request left nothing behind.
 */

const ingest = (exports as unknown as { default: Fetcher }).default;
const ingestEnv = env as unknown as IngestEnv;

const FIVE_MINUTES_SECONDS = 5 * 60;
const MAX_TICKET_BODY_BYTES = 256 * 1024;

interface TestKey extends MerchantKey {
  tenantId: string;
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

const alpha: TestKey = {
  tenantId: createUuidV7(),
  webhookKeyId: "whk_alpha",
  webhookSecret: createSecret(),
};
const beta: TestKey = {
  tenantId: createUuidV7(),
  webhookKeyId: "whk_beta",
  webhookSecret: createSecret(),
};
const rotatingTenantId = createUuidV7();
const retiringSecret = createSecret();
const newSecret = createSecret();

beforeAll(async () => {
  // The record format tenant onboarding writes: webhook-key:<keyId> -> { tenantId, secrets }.
  for (const key of [alpha, beta]) {
    await ingestEnv.WEBHOOK_KEYS.put(
      `webhook-key:${key.webhookKeyId}`,
      JSON.stringify({ tenantId: key.tenantId, secrets: [key.webhookSecret] }),
    );
  }
  await ingestEnv.WEBHOOK_KEYS.put(
    "webhook-key:whk_rotating",
    JSON.stringify({ tenantId: rotatingTenantId, secrets: [retiringSecret, newSecret] }),
  );
});

describe("POST /v1/tickets with a valid signature", () => {
  it("answers 202 with a UUIDv7 and queues exactly that ticket for the key's tenant", async () => {
    const mark = deliveredMessages.length;
    const payload = buildTicketPayload();
    const startedMs = Date.now();

    const response = await ingest.fetch(
      await buildSignedRequest(alpha, JSON.stringify(payload), { webhookId: "msg_happy_path" }),
    );

    expect(response.status).toBe(202);
    const accepted = await response.json<{ id: string; status: string }>();
    expect(accepted.status).toBe("queued");
    expect(accepted.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // UUIDv7 starts with the Unix milliseconds of its creation.
    const idMs = parseInt(accepted.id.replaceAll("-", "").slice(0, 12), 16);
    expect(idMs).toBeGreaterThanOrEqual(startedMs);
    expect(idMs).toBeLessThanOrEqual(Date.now());

    const delivered = await waitForDelivery(mark, accepted.id);
    expect(delivered).toHaveLength(1);
    const [message] = delivered;
    expect(message).toEqual({
      version: 1,
      ticketId: accepted.id,
      tenantId: alpha.tenantId,
      webhookId: "msg_happy_path",
      receivedAt: message?.receivedAt,
      ticket: payload,
    });
    expect(Date.parse(message?.receivedAt ?? "")).toBeGreaterThanOrEqual(startedMs);
  });

  it("takes the tenant from the key that verified, whichever tenant sends", async () => {
    const mark = deliveredMessages.length;

    const fromBeta = await ingest.fetch(
      await buildSignedRequest(beta, JSON.stringify(buildTicketPayload())),
    );

    const { id } = await fromBeta.json<{ id: string }>();
    const delivered = await waitForDelivery(mark, id);
    expect(delivered.map((message) => message.tenantId)).toEqual([beta.tenantId]);
  });

  it("accepts non-ASCII text and a timestamp four minutes old", async () => {
    const mark = deliveredMessages.length;
    const payload = buildTicketPayload({
      subject: "Überweisung fehlgeschlagen 😡",
      body: "Перевод не прошёл.\n\tZweiter Versuch: 失败",
    });

    const response = await ingest.fetch(
      await buildSignedRequest(alpha, JSON.stringify(payload), {
        timestampSeconds: nowSeconds() - 4 * 60,
      }),
    );

    expect(response.status).toBe(202);
    const { id } = await response.json<{ id: string }>();
    const [message] = await waitForDelivery(mark, id);
    expect(message?.ticket).toEqual(payload);
  });

  it("accepts both secrets of a key being rotated", async () => {
    const mark = deliveredMessages.length;
    const rotating: MerchantKey = { webhookKeyId: "whk_rotating", webhookSecret: retiringSecret };

    const withOld = await ingest.fetch(
      await buildSignedRequest(rotating, JSON.stringify(buildTicketPayload())),
    );
    const withNew = await ingest.fetch(
      await buildSignedRequest(rotating, JSON.stringify(buildTicketPayload()), {
        signingSecret: newSecret,
      }),
    );

    expect([withOld.status, withNew.status]).toEqual([202, 202]);
    const oldId = (await withOld.json<{ id: string }>()).id;
    const newId = (await withNew.json<{ id: string }>()).id;
    const delivered = await waitFor("both rotated-key tickets", () => {
      const since = deliveredMessages.slice(mark);
      return since.some((m) => m.ticketId === oldId) && since.some((m) => m.ticketId === newId)
        ? since
        : undefined;
    });
    expect(delivered.map((message) => message.tenantId)).toEqual([
      rotatingTenantId,
      rotatingTenantId,
    ]);
  });
});

interface RejectionCase {
  name: string;
  build: () => Promise<Request>;
  status: number;
  code: string;
}

const validBody = () => JSON.stringify(buildTicketPayload());

const rejections: RejectionCase[] = [
  ...(["webhook-key-id", "webhook-id", "webhook-timestamp", "webhook-signature"] as const).map(
    (header): RejectionCase => ({
      name: `a request without ${header}`,
      build: () => buildSignedRequest(alpha, validBody(), { headers: { [header]: null } }),
      status: 400,
      code: "missing_header",
    }),
  ),
  {
    name: "an empty webhook-signature header",
    build: () => buildSignedRequest(alpha, validBody(), { headers: { "webhook-signature": "" } }),
    status: 400,
    code: "missing_header",
  },
  {
    name: "a text/plain body",
    build: () =>
      buildSignedRequest(alpha, validBody(), { headers: { "content-type": "text/plain" } }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a form-encoded body",
    build: () =>
      buildSignedRequest(alpha, validBody(), {
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a body one byte over the cap, with Content-Length",
    build: () => buildSignedRequest(alpha, "x".repeat(MAX_TICKET_BODY_BYTES + 1)),
    status: 413,
    code: "body_too_large",
  },
  {
    name: "a streamed body over the cap, without Content-Length",
    build: () =>
      buildSignedRequest(alpha, "", { rawBody: streamOfBytes(MAX_TICKET_BODY_BYTES + 1) }),
    status: 413,
    code: "body_too_large",
  },
  {
    name: "a body changed after signing",
    build: () =>
      buildSignedRequest(alpha, validBody(), { rawBody: JSON.stringify(buildTicketPayload()) }),
    status: 401,
    code: "invalid_signature",
  },
  {
    name: "a signature made with an unrelated secret",
    build: () => buildSignedRequest(alpha, validBody(), { signingSecret: createSecret() }),
    status: 401,
    code: "invalid_signature",
  },
  {
    name: "alpha's key id signed with beta's secret",
    build: () => buildSignedRequest(alpha, validBody(), { signingSecret: beta.webhookSecret }),
    status: 401,
    code: "invalid_signature",
  },
  {
    name: "an unknown key id",
    build: () =>
      buildSignedRequest(
        { webhookKeyId: "whk_nobody", webhookSecret: alpha.webhookSecret },
        validBody(),
      ),
    status: 401,
    code: "invalid_signature",
  },
  {
    name: "a key id shaped like a path",
    build: () =>
      buildSignedRequest(
        { webhookKeyId: "../whk_alpha", webhookSecret: alpha.webhookSecret },
        validBody(),
      ),
    status: 401,
    code: "invalid_signature",
  },
  {
    name: "a captured signature replayed under a new webhook-id",
    build: async () => {
      const captured = await buildSignedRequest(alpha, validBody(), { webhookId: "msg_original" });
      return new Request(captured, {
        headers: withHeader(captured.headers, "webhook-id", "msg_replay"),
      });
    },
    status: 401,
    code: "invalid_signature",
  },
  {
    name: "a timestamp more than five minutes old",
    build: () =>
      buildSignedRequest(alpha, validBody(), {
        timestampSeconds: nowSeconds() - FIVE_MINUTES_SECONDS - 60,
      }),
    status: 401,
    code: "stale_timestamp",
  },
  {
    name: "a timestamp more than five minutes ahead",
    build: () =>
      buildSignedRequest(alpha, validBody(), {
        timestampSeconds: nowSeconds() + FIVE_MINUTES_SECONDS + 60,
      }),
    status: 401,
    code: "stale_timestamp",
  },
  {
    name: "a timestamp in milliseconds",
    build: () => buildSignedRequest(alpha, validBody(), { timestampSeconds: Date.now() }),
    status: 400,
    code: "bad_request",
  },
  {
    name: "a timestamp that is not a number",
    build: () =>
      buildSignedRequest(alpha, validBody(), { headers: { "webhook-timestamp": "soon" } }),
    status: 400,
    code: "bad_request",
  },
  {
    name: "a signature header that is not base64",
    build: () =>
      buildSignedRequest(alpha, validBody(), {
        headers: { "webhook-signature": "v1,not*base64!" },
      }),
    status: 400,
    code: "bad_request",
  },
  {
    name: "a signature header without the v1 prefix",
    build: async () => {
      const request = await buildSignedRequest(alpha, validBody());
      const bare = request.headers.get("webhook-signature")?.replace(/^v1,/, "") ?? "";
      return new Request(request, {
        headers: withHeader(request.headers, "webhook-signature", bare),
      });
    },
    status: 400,
    code: "bad_request",
  },
  {
    name: "a signature header with more entries than allowed",
    build: async () => {
      const request = await buildSignedRequest(alpha, validBody());
      const entry = request.headers.get("webhook-signature") ?? "";
      const flood = Array.from({ length: 6 }, () => entry).join(" ");
      return new Request(request, {
        headers: withHeader(request.headers, "webhook-signature", flood),
      });
    },
    status: 400,
    code: "bad_request",
  },
  {
    name: "a webhook-id with a space",
    build: () => buildSignedRequest(alpha, validBody(), { webhookId: "msg one" }),
    status: 400,
    code: "bad_request",
  },
  {
    name: "a signed body that is not JSON",
    build: () => buildSignedRequest(alpha, '{"externalId": "a",'),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "a body that is not UTF-8",
    build: () =>
      buildSignedRequest(alpha, validBody(), {
        rawBody: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      }),
    status: 400,
    code: "bad_request",
  },
  {
    name: "a JSON array instead of a ticket",
    build: () => buildSignedRequest(alpha, "[]"),
    status: 422,
    code: "validation_failed",
  },
  {
    name: "a body field tenantId naming another tenant",
    build: () =>
      buildSignedRequest(
        alpha,
        JSON.stringify({ ...buildTicketPayload(), tenantId: beta.tenantId }),
      ),
    status: 422,
    code: "validation_failed",
  },
  {
    name: "a __proto__ field smuggling a tenantId",
    build: () =>
      buildSignedRequest(
        alpha,
        `{"__proto__":{"tenantId":"${beta.tenantId}"},${validBody().slice(1)}`,
      ),
    status: 422,
    code: "validation_failed",
  },
  {
    name: "a terminal escape in the subject",
    build: () =>
      buildSignedRequest(
        alpha,
        JSON.stringify(buildTicketPayload({ subject: "\u001b[2J\u001b[31mURGENT" })),
      ),
    status: 422,
    code: "validation_failed",
  },
  {
    name: "a one-character C1 terminal escape (U+009B) in the subject",
    build: () =>
      buildSignedRequest(alpha, JSON.stringify(buildTicketPayload({ subject: "\u009b31mURGENT" }))),
    status: 422,
    code: "validation_failed",
  },
  {
    name: "a NUL character in the body",
    build: () =>
      buildSignedRequest(alpha, JSON.stringify(buildTicketPayload({ body: "refund\u0000me" }))),
    status: 422,
    code: "validation_failed",
  },
  {
    name: "a line break in the subject",
    build: () =>
      buildSignedRequest(
        alpha,
        JSON.stringify(buildTicketPayload({ subject: "Hi\r\nBcc: all@example.com" })),
      ),
    status: 422,
    code: "validation_failed",
  },
];

describe("POST /v1/tickets rejections", () => {
  it.each(rejections)("refuses $name with $status $code and queues nothing", async (rejection) => {
    const mark = deliveredMessages.length;

    const response = await ingest.fetch(await rejection.build());

    await expectProblem(response, rejection.status, rejection.code);
    await expectOnlyNextTicketQueued(mark);
  });

  it("gives an unknown key id the same answer as a wrong signature, so keys cannot be probed", async () => {
    const body = validBody();

    const unknownKey = await ingest.fetch(
      await buildSignedRequest(
        { webhookKeyId: "whk_unknown", webhookSecret: createSecret() },
        body,
      ),
    );
    const wrongSignature = await ingest.fetch(
      await buildSignedRequest(alpha, body, { signingSecret: createSecret() }),
    );

    const unknownProblem = await expectProblem(unknownKey, 401, "invalid_signature");
    const wrongProblem = await expectProblem(wrongSignature, 401, "invalid_signature");
    expect(unknownProblem).toEqual(wrongProblem);
  });

  it("names every field that breaks the schema", async () => {
    const payload = {
      ...buildTicketPayload({ externalId: "has a space", subject: "   " }),
      customer: { name: "Jane Doe", email: "not-an-email" },
    };

    const response = await ingest.fetch(await buildSignedRequest(alpha, JSON.stringify(payload)));

    const problem = await expectProblem(response, 422, "validation_failed");
    expect(problem.errors?.map((error) => error.path).sort()).toEqual([
      "customer.email",
      "externalId",
      "subject",
    ]);
  });

  it("names the tenantId field the strict schema does not allow", async () => {
    const payload = { ...buildTicketPayload(), tenantId: beta.tenantId };

    const response = await ingest.fetch(await buildSignedRequest(alpha, JSON.stringify(payload)));

    const problem = await expectProblem(response, 422, "validation_failed");
    expect(JSON.stringify(problem.errors)).toContain("tenantId");
  });

  it("names the control character's field", async () => {
    const payload = buildTicketPayload({
      body: "bell\u0007",
      customer: { name: "Eve\u001b", email: "e@example.com" },
    });

    const response = await ingest.fetch(await buildSignedRequest(alpha, JSON.stringify(payload)));

    const problem = await expectProblem(response, 422, "validation_failed");
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(["body", "customer.name"]);
  });
});

describe("other methods and paths", () => {
  it.each(["GET", "PUT", "DELETE", "PATCH"])(
    "answers %s /v1/tickets with 405 and Allow: POST",
    async (method) => {
      const response = await ingest.fetch(INGEST_URL, { method });

      await expectProblem(response, 405, "method_not_allowed");
      expect(response.headers.get("allow")).toBe("POST");
    },
  );

  it.each(["/", "/v1/tickets/", "/v1/tickets/extra", "/V1/TICKETS", "/v1/tickets%2f.."])(
    "answers a signed POST to %s with 404",
    async (path) => {
      const mark = deliveredMessages.length;
      const signed = await buildSignedRequest(alpha, validBody());

      const response = await ingest.fetch(new Request(new URL(path, INGEST_URL), signed));

      await expectProblem(response, 404, "not_found");
      await expectOnlyNextTicketQueued(mark);
    },
  );
});

async function expectProblem(
  response: Response,
  status: number,
  code: string,
): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = await response.json<ProblemBody>();
  expect(problem).toMatchObject({
    status,
    code,
    type: `https://errors.ticket-pipeline.dev/${code}`,
  });
  return problem;
}

/**
 * Sends a valid ticket and waits for it. The queue delivers in order, so anything a
 * rejected request had queued would arrive with or before it.
 */
async function expectOnlyNextTicketQueued(mark: number): Promise<void> {
  const response = await ingest.fetch(await buildSignedRequest(alpha, validBody()));
  expect(response.status).toBe(202);
  const { id } = await response.json<{ id: string }>();

  const delivered = await waitForDelivery(mark, id);
  expect(delivered.map((message) => message.ticketId)).toEqual([id]);
}

/** Everything delivered since `mark`, once the ticket `ticketId` is among it. */
function waitForDelivery(mark: number, ticketId: string): Promise<TicketMessage[]> {
  return waitFor(`ticket ${ticketId} on the queue`, () => {
    const since = deliveredMessages.slice(mark);
    return since.some((message) => message.ticketId === ticketId) ? since : undefined;
  });
}

function streamOfBytes(total: number): ReadableStream<Uint8Array> {
  const CHUNK_BYTES = 16 * 1024;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(CHUNK_BYTES, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

function withHeader(headers: Headers, name: string, value: string): Headers {
  const copy = new Headers(headers);
  copy.set(name, value);
  return copy;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
