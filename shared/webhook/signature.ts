import { decodeBase64, encodeBase64 } from "../encoding.ts";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/): HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed by the base64 bytes after the
 * `whsec_` prefix, sent as space-separated `v1,<base64>` entries so secrets can rotate.
 */

export const SECRET_PREFIX = "whsec_";
/** Standard Webhooks recommends rejecting timestamps more than five minutes away. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
/** Bounds the HMAC work one request can cause: entries per header times active secrets. */
export const MAX_SIGNATURES_PER_HEADER = 5;
export const MAX_ACTIVE_SECRETS = 3;
/** 24 to 64 random bytes; the spec's own libraries generate 24. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const MAX_WEBHOOK_ID_LENGTH = 128;

export interface WebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

export type WebhookRejection =
  | { reason: "malformed_header"; header: "webhook-id" | "webhook-timestamp" | "webhook-signature" }
  | { reason: "stale_timestamp" }
  | { reason: "invalid_signature" };

export type WebhookVerdict = { ok: true } | ({ ok: false } & WebhookRejection);

const WEBHOOK_ID_PATTERN = /^[\x21-\x7e]+$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const SIGNATURE_ENTRY_PATTERN = /^v1,([A-Za-z0-9+/]{43}=)$/;

export async function verifyWebhook(
  headers: WebhookHeaders,
  body: string,
  secrets: readonly string[],
  nowSeconds: number,
): Promise<WebhookVerdict> {
  if (headers.id.length > MAX_WEBHOOK_ID_LENGTH || !WEBHOOK_ID_PATTERN.test(headers.id)) {
    return { ok: false, reason: "malformed_header", header: "webhook-id" };
  }
  if (!TIMESTAMP_PATTERN.test(headers.timestamp)) {
    return { ok: false, reason: "malformed_header", header: "webhook-timestamp" };
  }
  if (Math.abs(nowSeconds - Number(headers.timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, reason: "stale_timestamp" };
  }
  const signatures = parseSignatureHeader(headers.signature);
  if (signatures === undefined) {
    return { ok: false, reason: "malformed_header", header: "webhook-signature" };
  }

  const signedContent = new TextEncoder().encode(`${headers.id}.${headers.timestamp}.${body}`);
  for (const secret of secrets.slice(0, MAX_ACTIVE_SECRETS)) {
    const key = await importSecret(secret, "verify");
    for (const signature of signatures) {
      // subtle.verify compares in constant time; a hand-written === would not.
      if (await crypto.subtle.verify("HMAC", key, signature, signedContent)) return { ok: true };
    }
  }
  return { ok: false, reason: "invalid_signature" };
}

export async function signWebhook(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string,
): Promise<string> {
  const key = await importSecret(secret, "sign");
  const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, content));
  return `v1,${encodeBase64(mac)}`;
}

export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${SECRET_PREFIX}${encodeBase64(bytes)}`;
}

export function isWellFormedSecret(secret: string): boolean {
  try {
    const length = decodeSecret(secret).byteLength;
    return length >= MIN_SECRET_BYTES && length <= MAX_SECRET_BYTES;
  } catch {
    return false;
  }
}

function parseSignatureHeader(header: string): Uint8Array<ArrayBuffer>[] | undefined {
  const entries = header.split(" ").filter((entry) => entry.length > 0);
  if (entries.length === 0 || entries.length > MAX_SIGNATURES_PER_HEADER) return undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of entries) {
    const match = SIGNATURE_ENTRY_PATTERN.exec(entry);
    // Entries of other versions are skipped, as the spec asks, not rejected.
    if (match?.[1] !== undefined) signatures.push(decodeBase64(match[1]));
  }
  return signatures.length > 0 ? signatures : undefined;
}

async function importSecret(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    decodeSecret(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

function decodeSecret(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("webhook secret must start with whsec_");
  return decodeBase64(secret.slice(SECRET_PREFIX.length));
}
