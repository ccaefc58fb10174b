import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DevStack, DevStackOptions } from "./dev-stack.ts";
import { startDevStack } from "./dev-stack.ts";

/**
 * A Postgres of a test or benchmark run's own. With DATABASE_URL set (CI sets the machine's
 * Postgres), a fresh database is created beside the one it names and dropped at the end,
 * so runs never see each other's rows. Without it, the caller uses embedded PGlite.
 */
export interface ScratchDatabase {
  /** Owner-level URL of the fresh database, or undefined for embedded PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => {} };

  const name = `ticket_test_${label}_${process.pid}_${Date.now().toString(36)}`;
  await runOnServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runOnServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * The dev stack in a temporary state directory on a scratch database: what tests and
 * benchmarks run against. Its stop() also drops the database and removes the directory.
 */
export async function startScratchDevStack(
  label: string,
  options: Omit<DevStackOptions, "databaseUrl" | "stateDir">,
): Promise<DevStack> {
  const stateDir = await mkdtemp(join(tmpdir(), `ticket-${label}-`));
  const database = await createScratchDatabase(label);
  const cleanUp = async () => {
    // Wrangler is stopped first by the caller: it holds connections to this database.
    await database.drop().catch(() => {});
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const stack = await startDevStack({ ...options, stateDir, databaseUrl: database.url });
    return {
      ...stack,
      stop: async () => {
        await stack.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
