import { Client, neonConfig } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { isUuid } from "../ids.ts";
import * as schema from "./schema.ts";

/** The database roles the workers act as; see migrations/0001_row-level-security.sql. */
export type DatabaseRole = "ticket_writer" | "ticket_reader";

export interface DatabaseConfig {
  url: string;
  role: DatabaseRole;
  /**
   * Local development only: `host:port` of the loopback WebSocket bridge that speaks
   * the Neon proxy protocol to a plain Postgres. Production talks to Neon directly.
   */
  wsProxy?: string | undefined;
}

export type Database = NeonDatabase<typeof schema>;
export type TenantTransaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  role: DatabaseRole;
  close(): Promise<void>;
}

/**
 * Workers cannot share sockets between requests, so each request or queue batch opens
 * one connection and closes it when done (`ctx.waitUntil(handle.close())`). One
 * connection, not a pool: every query of a request runs in sequence anyway.
 */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  configureDriver(config.wsProxy);
  const client = new Client({ connectionString: config.url });
  // A query's own failure rejects its promise. What arrives here is the socket dropping
  // while idle, typically as it closes after end(): nothing is waiting to be told.
  client.on("error", () => {});
  await client.connect();
  const db = drizzle(client, { schema });
  return { db, role: config.role, close: () => client.end() };
}

/**
 * The one way to touch tenant-owned rows. Row-level security keys on the
 * transaction-local `app.tenant_id`; the local role drops to the worker's role even
 * when the connection itself is privileged (embedded PGlite connects as superuser,
 * which would otherwise bypass RLS). Both settings vanish at commit or rollback.
 */
export async function withTenant<T>(
  handle: DatabaseHandle,
  tenantId: string,
  work: (tx: TenantTransaction) => Promise<T>,
): Promise<T> {
  if (!isUuid(tenantId)) throw new TypeError("tenant id must be a UUID");
  return handle.db.transaction(async (tx) => {
    // One round trip for both; set_config('role', …, true) is SET LOCAL ROLE.
    await tx.execute(
      sql`select set_config('role', ${handle.role}, true), set_config('app.tenant_id', ${tenantId}, true)`,
    );
    return work(tx);
  });
}

let configuredProxy: string | undefined | null = null;

function configureDriver(wsProxy: string | undefined): void {
  if (configuredProxy === wsProxy) return;
  configuredProxy = wsProxy;
  if (wsProxy === undefined) return;
  // Plain ws:// to a loopback bridge, and no pipelining: the bridge is a dumb pipe to a
  // Postgres that expects the ordinary startup sequence.
  neonConfig.wsProxy = (host, port) => `${wsProxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineConnect = false;
  neonConfig.pipelineTLS = false;
}
