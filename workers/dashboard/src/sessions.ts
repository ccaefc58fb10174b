import type { SessionRecord } from "../../../shared/auth/session.ts";
import {
  createSessionToken,
  isWellFormedSessionToken,
  SESSION_TTL_SECONDS,
  sessionStoreKey,
} from "../../../shared/auth/session.ts";

export interface ActiveSession {
  token: string;
  storeKey: string;
  record: SessionRecord;
}

/**
 * Sessions live in KV under the SHA-256 of their token and expire with it. KV is
 * eventually consistent across locations (up to 60 s), so a logout can take that long
 * to reach another location; SECURITY.md lists this.
 */
export async function startSession(
  store: KVNamespace,
  identity: Pick<SessionRecord, "agentId" | "tenantId" | "email">,
  now: Date,
): Promise<ActiveSession> {
  const token = createSessionToken();
  const storeKey = await sessionStoreKey(token);
  const record: SessionRecord = {
    ...identity,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000).toISOString(),
  };
  await store.put(storeKey, JSON.stringify(record), { expirationTtl: SESSION_TTL_SECONDS });
  return { token, storeKey, record };
}

export async function findSession(
  store: KVNamespace,
  token: string | undefined,
  now: Date,
): Promise<ActiveSession | undefined> {
  if (!token || !isWellFormedSessionToken(token)) return undefined;
  const storeKey = await sessionStoreKey(token);
  const record = await store.get<SessionRecord>(storeKey, "json");
  if (!record || Date.parse(record.expiresAt) <= now.getTime()) return undefined;
  return { token, storeKey, record };
}

export async function endSession(store: KVNamespace, session: ActiveSession): Promise<void> {
  await store.delete(session.storeKey);
}
