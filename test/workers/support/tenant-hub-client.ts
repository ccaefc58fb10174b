import {
  HUB_AGENT_HEADER,
  HUB_SESSION_EXPIRES_HEADER,
  HUB_SESSION_HEADER,
} from "../../../workers/dashboard/src/tenant-hub.ts";
import type { TenantHub } from "../../../workers/dashboard/src/tenant-hub.ts";
import type { LiveSocket } from "./live-socket.ts";
import { acceptLiveSocket } from "./live-socket.ts";

const ONE_HOUR_MS = 60 * 60 * 1000;

export interface HubSession {
  agentId?: string;
  sessionKey?: string;
  /** Unix milliseconds; defaults to an hour from now. */
  expiresAtMs?: number;
}

export function hubOf(namespace: DurableObjectNamespace<TenantHub>, tenantId: string) {
  return namespace.get(namespace.idFromName(tenantId));
}

/**
 * Connects to a tenant's hub the way the dashboard does after checking a session: a
 * WebSocket upgrade carrying the agent, the session's store key and its expiry.
 */
export async function connectToHub(
  namespace: DurableObjectNamespace<TenantHub>,
  tenantId: string,
  session: HubSession = {},
): Promise<LiveSocket> {
  const response = await hubOf(namespace, tenantId).fetch("https://tenant-hub.internal/connect", {
    headers: {
      upgrade: "websocket",
      [HUB_AGENT_HEADER]: session.agentId ?? crypto.randomUUID(),
      [HUB_SESSION_HEADER]: session.sessionKey ?? `session:${crypto.randomUUID()}`,
      [HUB_SESSION_EXPIRES_HEADER]: String(session.expiresAtMs ?? Date.now() + ONE_HOUR_MS),
    },
  });
  return acceptLiveSocket(response);
}
