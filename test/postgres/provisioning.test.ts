import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createDevTenant } from "../../scripts/lib/dev-state.ts";
import { ProvisioningConflictError, provisionDatabase } from "../../scripts/lib/provision.ts";

/**
 * `npm run dev` provisions demo tenants from a local state file. Run against a database
 * another setup provisioned, it must say so, not leave logins that silently fail.
 */
const database = inject("database");

function stateWith(tenants: ReturnType<typeof createDevTenant>[]) {
  return {
    writerPassword: "writer-password-0001",
    readerPassword: "reader-password-0001",
    tenants,
  };
}

async function countAgents(email: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.adminUrl });
  await client.connect();
  try {
    const result = await client.query("select count(*)::int as n from agents where email = $1", [
      email,
    ]);
    return (result.rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

describe("provisionDatabase", () => {
  it("changes nothing when run twice with the same state", async () => {
    const tenant = createDevTenant({ slug: "twice-co", name: "Twice Co" });
    const state = stateWith([tenant]);

    await provisionDatabase(database.adminUrl, state);
    await provisionDatabase(database.adminUrl, state);

    expect(await countAgents(tenant.agentEmail)).toBe(1);
  });

  it("refuses a state file whose tenant slug the database holds under another id", async () => {
    // Regression: the second setup's tenant was silently skipped, so its agent could not
    // log in and its webhooks named a tenant the database did not have.
    const first = createDevTenant({ slug: "taken-co", name: "Taken Co" });
    await provisionDatabase(database.adminUrl, stateWith([first]));
    const second = createDevTenant({ slug: "taken-co", name: "Taken Co" });

    const attempt = provisionDatabase(database.adminUrl, stateWith([second]));

    await expect(attempt).rejects.toBeInstanceOf(ProvisioningConflictError);
    await expect(attempt).rejects.toThrow(/taken-co.*dev-state\.local\.json/s);
  });

  it("refuses an agent email the database holds for another tenant", async () => {
    const first = createDevTenant({ slug: "shared-mail-a", name: "Shared Mail A" });
    await provisionDatabase(database.adminUrl, stateWith([first]));
    const second = {
      ...createDevTenant({ slug: "shared-mail-b", name: "Shared Mail B" }),
      agentEmail: first.agentEmail,
    };

    await expect(provisionDatabase(database.adminUrl, stateWith([second]))).rejects.toBeInstanceOf(
      ProvisioningConflictError,
    );
    expect(await countAgents(first.agentEmail)).toBe(1);
  });
});
