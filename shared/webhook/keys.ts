import { z } from "zod";
import { isWellFormedSecret, MAX_ACTIVE_SECRETS } from "./signature.ts";

/**
 * A merchant names its key in the `webhook-key-id` header; the tenant is whichever one
 * that key belongs to, and only once the signature verifies. Several secrets may be
 * active at once so a merchant can rotate without dropping tickets.
 */
export const WEBHOOK_KEY_ID_HEADER = "webhook-key-id";
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const webhookKeySchema = z.object({
  tenantId: z.uuid(),
  secrets: z.array(z.string().refine(isWellFormedSecret)).min(1).max(MAX_ACTIVE_SECRETS),
});

export type WebhookKey = z.infer<typeof webhookKeySchema>;

export function isWellFormedKeyId(keyId: string): boolean {
  return KEY_ID_PATTERN.test(keyId);
}

export function webhookKeyStorageKey(keyId: string): string {
  return `webhook-key:${keyId}`;
}
