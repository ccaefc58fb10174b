import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WebhookHeaders } from "../../shared/webhook/signature.ts";
import {
  generateWebhookSecret,
  isWellFormedSecret,
  MAX_SIGNATURES_PER_HEADER,
  signWebhook,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
} from "../../shared/webhook/signature.ts";

// The vector the Standard Webhooks reference libraries test against (24-byte secret).
const SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TIMESTAMP = 1614265330;
const SPEC_BODY = '{"test": 2432232314}';
const SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const NOW_SECONDS = 1_760_000_000;
const BODY = '{"externalId":"ext-1","subject":"Card declined"}';
const ID = "msg_2f1e0c9a";

/** An HMAC-SHA256 computed with node:crypto, independent of the code under test. */
function referenceSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

function secretOfBytes(byteCount: number): string {
  return `whsec_${randomBytes(byteCount).toString("base64")}`;
}

async function signedHeaders(secret: string, timestamp = NOW_SECONDS): Promise<WebhookHeaders> {
  return {
    id: ID,
    timestamp: String(timestamp),
    signature: await signWebhook(secret, ID, timestamp, BODY),
  };
}

describe("signWebhook and verifyWebhook", () => {
  it("verifies what it signs", async () => {
    const secret = generateWebhookSecret();

    const headers = await signedHeaders(secret);

    expect(headers.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(await verifyWebhook(headers, BODY, [secret], NOW_SECONDS)).toEqual({ ok: true });
  });

  it("reproduces the Standard Webhooks test vector computed with node:crypto", async () => {
    const expected = referenceSignature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);
    expect(expected).toBe(SPEC_SIGNATURE);

    const signature = await signWebhook(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

    expect(signature).toBe(expected);
  });

  it("accepts a signature made by node:crypto, not by our own signer", async () => {
    const secret = generateWebhookSecret();
    const headers = {
      id: ID,
      timestamp: String(NOW_SECONDS),
      signature: referenceSignature(secret, ID, NOW_SECONDS, BODY),
    };

    const verdict = await verifyWebhook(headers, BODY, [secret], NOW_SECONDS);

    expect(verdict).toEqual({ ok: true });
  });

  it("accepts a valid signature under any of the active secrets (rotation)", async () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();

    const headers = await signedHeaders(oldSecret);

    expect(await verifyWebhook(headers, BODY, [newSecret, oldSecret], NOW_SECONDS)).toEqual({
      ok: true,
    });
    expect(await verifyWebhook(headers, BODY, [newSecret], NOW_SECONDS)).toEqual({
      ok: false,
      reason: "invalid_signature",
    });
  });
});

describe("verifyWebhook: the signature header", () => {
  it("accepts space-separated signatures when any one of them matches", async () => {
    const secret = generateWebhookSecret();
    const good = await signWebhook(secret, ID, NOW_SECONDS, BODY);
    const wrong = await signWebhook(generateWebhookSecret(), ID, NOW_SECONDS, BODY);
    const headers = { id: ID, timestamp: String(NOW_SECONDS), signature: `${wrong} ${good}` };

    const verdict = await verifyWebhook(headers, BODY, [secret], NOW_SECONDS);

    expect(verdict).toEqual({ ok: true });
  });

  it("ignores entries of unknown versions and checks the v1 ones", async () => {
    const secret = generateWebhookSecret();
    const good = await signWebhook(secret, ID, NOW_SECONDS, BODY);
    // v1a is the spec's asymmetric (ed25519) scheme, which we do not accept.
    const signature = `v2,${good.slice(3)} v1a,c29tZXRoaW5n ${good}`;

    const verdict = await verifyWebhook(
      { id: ID, timestamp: String(NOW_SECONDS), signature },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    expect(verdict).toEqual({ ok: true });
  });

  it("does not accept a valid MAC under an unknown version", async () => {
    const secret = generateWebhookSecret();
    const good = await signWebhook(secret, ID, NOW_SECONDS, BODY);

    const verdict = await verifyWebhook(
      { id: ID, timestamp: String(NOW_SECONDS), signature: `v2,${good.slice(3)}` },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    expect(verdict.ok).toBe(false);
  });

  it(`accepts ${MAX_SIGNATURES_PER_HEADER} entries and rejects one more, even if one is valid`, async () => {
    const secret = generateWebhookSecret();
    const good = await signWebhook(secret, ID, NOW_SECONDS, BODY);
    const filler = await signWebhook(generateWebhookSecret(), ID, NOW_SECONDS, BODY);
    const entries = (count: number) => [...Array<string>(count - 1).fill(filler), good].join(" ");

    const atLimit = await verifyWebhook(
      { id: ID, timestamp: String(NOW_SECONDS), signature: entries(MAX_SIGNATURES_PER_HEADER) },
      BODY,
      [secret],
      NOW_SECONDS,
    );
    const overLimit = await verifyWebhook(
      { id: ID, timestamp: String(NOW_SECONDS), signature: entries(MAX_SIGNATURES_PER_HEADER + 1) },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    expect(atLimit).toEqual({ ok: true });
    expect(overLimit).toEqual({
      ok: false,
      reason: "malformed_header",
      header: "webhook-signature",
    });
  });

  it.each([
    ["empty", ""],
    ["only spaces", "   "],
    ["no version", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ["too short", "v1,c2hvcnQ="],
    ["not base64", "v1,!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!="],
    ["comma-separated instead of space-separated", `${SPEC_SIGNATURE},${SPEC_SIGNATURE}`],
    ["only unknown versions", "v2,abc v1a,def"],
  ])("rejects a signature header that is %s as malformed", async (_label, signature) => {
    const verdict = await verifyWebhook(
      { id: SPEC_ID, timestamp: String(SPEC_TIMESTAMP), signature },
      SPEC_BODY,
      [SPEC_SECRET],
      SPEC_TIMESTAMP,
    );

    expect(verdict).toEqual({ ok: false, reason: "malformed_header", header: "webhook-signature" });
  });
});

describe("verifyWebhook: the timestamp tolerance", () => {
  it.each([
    ["exactly the tolerance in the past", -WEBHOOK_TOLERANCE_SECONDS],
    ["exactly the tolerance in the future", WEBHOOK_TOLERANCE_SECONDS],
    ["the current second", 0],
  ])("accepts a timestamp %s", async (_label, offsetSeconds) => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret, NOW_SECONDS + offsetSeconds);

    const verdict = await verifyWebhook(headers, BODY, [secret], NOW_SECONDS);

    expect(verdict).toEqual({ ok: true });
  });

  it.each([
    ["one second older than the tolerance", -WEBHOOK_TOLERANCE_SECONDS - 1],
    ["one second further ahead than the tolerance", WEBHOOK_TOLERANCE_SECONDS + 1],
  ])("rejects a correctly signed timestamp %s as stale", async (_label, offsetSeconds) => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret, NOW_SECONDS + offsetSeconds);

    const verdict = await verifyWebhook(headers, BODY, [secret], NOW_SECONDS);

    expect(verdict).toEqual({ ok: false, reason: "stale_timestamp" });
  });
});

describe("verifyWebhook: malformed headers", () => {
  it.each([
    ["empty", ""],
    ["containing a space", "msg 1"],
    ["containing a newline", "msg\n1"],
    ["non-ASCII", "msg_é"],
    ["longer than 128 characters", "m".repeat(129)],
  ])("rejects a webhook-id that is %s", async (_label, id) => {
    const secret = generateWebhookSecret();
    const signature = await signWebhook(secret, id, NOW_SECONDS, BODY);

    const verdict = await verifyWebhook(
      { id, timestamp: String(NOW_SECONDS), signature },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    expect(verdict).toEqual({ ok: false, reason: "malformed_header", header: "webhook-id" });
  });

  it.each([
    ["empty", ""],
    ["negative", "-1"],
    ["fractional", `${NOW_SECONDS}.5`],
    ["in exponent notation", "1.76e9"],
    ["in milliseconds", `${NOW_SECONDS}000`],
    ["hexadecimal", "0x68e7a000"],
    ["padded with spaces", ` ${NOW_SECONDS}`],
    ["not a number", "yesterday"],
  ])("rejects a webhook-timestamp that is %s", async (_label, timestamp) => {
    const secret = generateWebhookSecret();
    const signature = await signWebhook(secret, ID, timestamp, BODY);

    const verdict = await verifyWebhook(
      { id: ID, timestamp, signature },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    // Even a signature over the odd timestamp does not help: its shape is refused first.
    expect(verdict).toEqual({ ok: false, reason: "malformed_header", header: "webhook-timestamp" });
  });
});

describe("verifyWebhook: tampering", () => {
  it("rejects a changed body", async () => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret);

    const verdict = await verifyWebhook(
      headers,
      BODY.replace("declined", "approved"),
      [secret],
      NOW_SECONDS,
    );

    expect(verdict).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("rejects a body with one byte of trailing whitespace", async () => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret);

    const verdict = await verifyWebhook(headers, `${BODY}\n`, [secret], NOW_SECONDS);

    expect(verdict).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("rejects a changed webhook-id", async () => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret);

    const verdict = await verifyWebhook({ ...headers, id: `${ID}x` }, BODY, [secret], NOW_SECONDS);

    expect(verdict).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("rejects a changed timestamp that is still inside the tolerance", async () => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret);

    const verdict = await verifyWebhook(
      { ...headers, timestamp: String(NOW_SECONDS + 1) },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    expect(verdict).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("rejects a signature with one bit flipped", async () => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders(secret);
    const mac = Buffer.from(headers.signature.slice(3), "base64");
    mac[0] = (mac[0] ?? 0) ^ 1;

    const verdict = await verifyWebhook(
      { ...headers, signature: `v1,${mac.toString("base64")}` },
      BODY,
      [secret],
      NOW_SECONDS,
    );

    expect(verdict).toEqual({ ok: false, reason: "invalid_signature" });
  });

  it("rejects everything when no secret is active", async () => {
    const headers = await signedHeaders(generateWebhookSecret());

    const verdict = await verifyWebhook(headers, BODY, [], NOW_SECONDS);

    expect(verdict).toEqual({ ok: false, reason: "invalid_signature" });
  });
});

describe("isWellFormedSecret", () => {
  it("accepts generated secrets and the spec's 24-byte secret", () => {
    expect(isWellFormedSecret(generateWebhookSecret())).toBe(true);
    expect(isWellFormedSecret(SPEC_SECRET)).toBe(true);
  });

  it("accepts 24 and 64 random bytes, and refuses 23 and 65", () => {
    expect(isWellFormedSecret(secretOfBytes(24))).toBe(true);
    expect(isWellFormedSecret(secretOfBytes(64))).toBe(true);
    expect(isWellFormedSecret(secretOfBytes(23))).toBe(false);
    expect(isWellFormedSecret(secretOfBytes(65))).toBe(false);
  });

  it.each([
    ["without the whsec_ prefix", SPEC_SECRET.slice("whsec_".length)],
    ["with another prefix", `wh_${SPEC_SECRET.slice("whsec_".length)}`],
    ["with an upper-case prefix", `WHSEC_${SPEC_SECRET.slice("whsec_".length)}`],
    ["that is only the prefix", "whsec_"],
    ["whose key is not base64", `whsec_${"!".repeat(32)}`],
    ["that is empty", ""],
  ])("refuses a secret %s", (_label, secret) => {
    expect(isWellFormedSecret(secret)).toBe(false);
  });
});
