import type { TenantHub } from "../../dashboard/src/tenant-hub.ts";

export interface ProcessorEnv {
  TENANT_HUB: DurableObjectNamespace<TenantHub>;
  /** Postgres URL for the `ticket_writer` role (a secret). */
  DATABASE_URL: string;
  /** Local development only: the loopback WebSocket bridge in front of Postgres. */
  DATABASE_WS_PROXY?: string;
}
