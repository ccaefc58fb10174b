import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRoleUrl, openDevDatabase } from "../../scripts/lib/database.ts";
import type { DevState, DevTenant } from "../../scripts/lib/dev-state.ts";
import { createDevTenant, generatePassword } from "../../scripts/lib/dev-state.ts";
import { applyMigrations } from "../../scripts/lib/migrate.ts";
import { startNeonBridge } from "../../scripts/lib/neon-bridge.ts";
import { provisionDatabase } from "../../scripts/lib/provision.ts";
import { createScratchDatabase } from "../../scripts/lib/scratch-database.ts";

/** What tests inside workerd and in Node receive about the database of this run. */
export interface DatabaseFixture {
  adminUrl: string;
  writerUrl: string;
  readerUrl: string;
  /** host:port of the loopback Neon bridge, for code running inside workerd. */
  wsProxy: string;
  embedded: boolean;
  tenants: DevTenant[];
}

export const TEST_TENANTS = [
  { slug: "alpha-bank", name: "Alpha Bank" },
  { slug: "beta-credit", name: "Beta Credit" },
  { slug: "gamma-loans", name: "Gamma Loans" },
] as const;

export async function startDatabaseFixture(
  label: string,
): Promise<{ fixture: DatabaseFixture; stop: () => Promise<void> }> {
  const testDatabase = await createScratchDatabase(label);
  const pgliteDir = await mkdtemp(join(tmpdir(), "ticket-pglite-"));
  const database = await openDevDatabase({ databaseUrl: testDatabase.url, pgliteDir });
  const state: DevState = {
    writerPassword: generatePassword(),
    readerPassword: generatePassword(),
    tenants: TEST_TENANTS.map((tenant) => createDevTenant(tenant)),
  };
  await applyMigrations(database.adminUrl);
  await provisionDatabase(database.adminUrl, state);
  const bridge = await startNeonBridge({
    databaseHost: database.host,
    databasePort: database.port,
  });

  return {
    fixture: {
      adminUrl: database.adminUrl,
      writerUrl: buildRoleUrl(database, "ticket_writer", state.writerPassword),
      readerUrl: buildRoleUrl(database, "ticket_reader", state.readerPassword),
      wsProxy: `127.0.0.1:${bridge.port}`,
      embedded: database.embedded,
      tenants: state.tenants,
    },
    stop: async () => {
      await bridge.close();
      await database.close();
      await testDatabase.drop();
      await rm(pgliteDir, { recursive: true, force: true });
    },
  };
}
