import { z } from "zod";
import { readConfig } from "../config.ts";
import type { DatabaseConfig, DatabaseRole } from "./client.ts";

function databaseEnvSchema(role: DatabaseRole) {
  return z.object({
    DATABASE_URL: z
      .string({ error: `is required: the ${role} role's Postgres URL` })
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
    DATABASE_WS_PROXY: z
      .string()
      .regex(
        /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/,
        "must be a loopback host:port; it exists for local development only",
      )
      .optional(),
  });
}

/** Reads and checks a worker's database settings; throws a ConfigError naming each bad one. */
export function readDatabaseConfig(
  worker: string,
  role: DatabaseRole,
  env: unknown,
): DatabaseConfig {
  const settings = readConfig(worker, databaseEnvSchema(role), env);
  return { url: settings.DATABASE_URL, role, wsProxy: settings.DATABASE_WS_PROXY };
}
