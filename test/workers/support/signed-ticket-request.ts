/**
 * Builds merchant requests to POST /v1/tickets. The signature is computed here from the
 * Standard Webhooks definition (HMAC-SHA256 over `id.timestamp.body`, keyed by the
 * base64 bytes after `whsec_`), not with the product's own signer, so a mistake shared
 * by our signer and verifier cannot hide.
 */
export const INGEST_URL = "https://ingest.internal/v1/tickets";

export interface MerchantKey {
  webhookKeyId: string;
  webhookSecret: string;
}

export interface SignedRequestOptions {
  webhookId?: string;
  timestampSeconds?: number;
  /** Sign with this secret instead of the key's own. */
  signingSecret?: string;
  /** Headers to add, replace, or (with null) remove after signing. */
  headers?: Record<string, string | null>;
  /** Send these bytes instead of the signed text (the signature still covers the text). */
  rawBody?: BodyInit;
}

export async function buildSignedRequest(
  key: MerchantKey,
  body: string,
  options: SignedRequestOptions = {},
): Promise<Request> {
  const webhookId = options.webhookId ?? `msg_${crypto.randomUUID()}`;
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const signature = await signStandardWebhook(
    options.signingSecret ?? key.webhookSecret,
    `${webhookId}.${timestamp}.${body}`,
  );
  const headers = new Headers({
    "content-type": "application/json",
    "webhook-key-id": key.webhookKeyId,
    "webhook-id": webhookId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${signature}`,
  });
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return new Request(INGEST_URL, { method: "POST", headers, body: options.rawBody ?? body });
}

/** A fresh `whsec_` secret of 32 random bytes. */
export function createSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export async function signStandardWebhook(secret: string, content: string): Promise<string> {
  const keyBytes = Uint8Array.from(atob(secret.slice("whsec_".length)), (char) =>
    char.charCodeAt(0),
  );
  const key = await crypto.subtle.importKey(
    "raw",
    keyBytes,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content));
  return toBase64(new Uint8Array(mac));
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
