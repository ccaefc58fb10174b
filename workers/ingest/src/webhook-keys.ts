import type { WebhookKey } from "../../../shared/webhook/keys.ts";
import { webhookKeySchema, webhookKeyStorageKey } from "../../../shared/webhook/keys.ts";

export async function findWebhookKey(
  store: KVNamespace,
  keyId: string,
): Promise<WebhookKey | undefined> {
  const stored = await store.get(webhookKeyStorageKey(keyId), "json");
  if (stored === null) return undefined;
  // A malformed record is our fault, not the merchant's: fail loudly, server-side.
  return webhookKeySchema.parse(stored);
}
