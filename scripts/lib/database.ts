import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The Postgres the dev stack and the tests use: the one DATABASE_URL names, or else an
 * embedded PGlite served on loopback, so that nothing needs installing.
 */
export interface DevDatabase {
  /** An owner-level URL, for migrations and provisioning only. */
  adminUrl: string;
  host: string;
  port: number;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * PGlite is one session multiplexed between clients. Each worker request holds one
 * connection, so a burst of logins needs many; past this count PGlite refuses them.
 */
const PGLITE_MAX_CONNECTIONS = 64;

export async function openDevDatabase(options: {
  databaseUrl?: string | undefined;
  pgliteDir: string;
  pglitePort?: number;
}): Promise<DevDatabase> {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    return {
      adminUrl: options.databaseUrl,
      host: url.hostname,
      port: Number(url.port || 5432),
      embedded: false,
      close: async () => {},
    };
  }

  await mkdir(options.pgliteDir, { recursive: true });
  const db = await PGlite.create(options.pgliteDir);
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.pglitePort ?? 0,
    maxConnections: PGLITE_MAX_CONNECTIONS,
  });
  let port = 0;
  server.addEventListener("listening", (event) => {
    port = (event as CustomEvent<{ port: number }>).detail.port;
  });
  await server.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    host: "127.0.0.1",
    port,
    embedded: true,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/** The URL a worker role logs in with, on the same server and database as `database`. */
export function buildRoleUrl(database: DevDatabase, role: string, password: string): string {
  const databaseName = new URL(database.adminUrl).pathname.slice(1) || "postgres";
  return `postgres://${role}:${encodeURIComponent(password)}@${database.host}:${database.port}/${databaseName}`;
}
