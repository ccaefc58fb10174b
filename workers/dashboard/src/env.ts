import type { LoginThrottle } from "./login-throttle.ts";
import type { TenantHub } from "./tenant-hub.ts";

export interface DashboardEnv {
  TENANT_HUB: DurableObjectNamespace<TenantHub>;
  LOGIN_THROTTLE: DurableObjectNamespace<LoginThrottle>;
  SESSIONS: KVNamespace;
  /** Postgres URL for the `ticket_reader` role (a secret). */
  DATABASE_URL: string;
  /** Local development only: the loopback WebSocket bridge in front of Postgres. */
  DATABASE_WS_PROXY?: string;
}
