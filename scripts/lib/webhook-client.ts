import { WEBHOOK_KEY_ID_HEADER } from "../../shared/webhook/keys.ts";
import { signWebhook } from "../../shared/webhook/signature.ts";

/** How a merchant calls us: Standard Webhooks headers plus the key id that names the secret. */
export interface MerchantKey {
  webhookKeyId: string;
  webhookSecret: string;
}

export async function buildSignedTicketRequest(
  baseUrl: string,
  key: MerchantKey,
  payload: unknown,
  options: { webhookId: string; timestampSeconds?: number },
): Promise<Request> {
  const body = JSON.stringify(payload);
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return new Request(`${baseUrl}/v1/tickets`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [WEBHOOK_KEY_ID_HEADER]: key.webhookKeyId,
      "webhook-id": options.webhookId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signWebhook(key.webhookSecret, options.webhookId, timestamp, body),
    },
    body,
  });
}

export async function sendSignedTicket(
  baseUrl: string,
  key: MerchantKey,
  payload: unknown,
  options: { webhookId: string; timestampSeconds?: number },
): Promise<Response> {
  return fetch(await buildSignedTicketRequest(baseUrl, key, payload, options));
}
