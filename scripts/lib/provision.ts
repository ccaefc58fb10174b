import pg from "pg";
import { hashPassword } from "../../shared/auth/password.ts";
import { createUuidV7 } from "../../shared/ids.ts";
import { webhookKeyStorageKey } from "../../shared/webhook/keys.ts";
import type { DevState, DevTenant } from "./dev-state.ts";

/**
 * Gives the worker roles their login passwords and creates each tenant with its agent.
 * Idempotent: existing rows are left alone. Rows are written inside a tenant-scoped
 * transaction, because row-level security is forced even on the owner.
 */
export async function provisionDatabase(adminUrl: string, state: DevState): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await setRolePassword(client, "ticket_writer", state.writerPassword);
    await setRolePassword(client, "ticket_reader", state.readerPassword);
    for (const tenant of state.tenants) await provisionTenant(client, tenant);
  } finally {
    await client.end();
  }
}

async function setRolePassword(client: pg.Client, role: string, password: string): Promise<void> {
  // Role names cannot be bound as parameters; these two are constants, never input.
  const quoted = await client.query<{ literal: string }>("select quote_literal($1) as literal", [
    password,
  ]);
  await client.query(`alter role ${role} with login password ${quoted.rows[0]?.literal}`);
}

/**
 * The database already holds a tenant or agent that the local state file does not
 * describe (the file was deleted, or DATABASE_URL points at another setup's database).
 * Carrying on would leave logins that fail and webhooks for a tenant that is not there.
 */
export class ProvisioningConflictError extends Error {
  constructor(what: string) {
    super(
      `The database already holds ${what}, created by another setup: it does not match ` +
        ".wrangler/dev/dev-state.local.json. Restore that file, point DATABASE_URL at an " +
        "empty database, or unset DATABASE_URL to use the embedded one.",
    );
    this.name = "ProvisioningConflictError";
  }
}

const UNIQUE_VIOLATION = "23505";

async function provisionTenant(client: pg.Client, tenant: DevTenant): Promise<void> {
  await client.query("begin");
  try {
    await client.query("select set_config('app.tenant_id', $1, true)", [tenant.tenantId]);
    await client.query(
      "insert into tenants (id, slug, name) values ($1, $2, $3) on conflict do nothing",
      [tenant.tenantId, tenant.slug, tenant.name],
    );
    // Under forced RLS a tenant of another id is invisible here, so "not found" is a conflict too.
    const stored = await client.query<{ id: string }>("select id from tenants where slug = $1", [
      tenant.slug,
    ]);
    if (stored.rows[0]?.id !== tenant.tenantId) {
      throw new ProvisioningConflictError(`a tenant with slug "${tenant.slug}"`);
    }

    const agent = await client.query<{ tenant_id: string }>(
      "select tenant_id from agents where lower(email) = lower($1)",
      [tenant.agentEmail],
    );
    if (agent.rows[0] && agent.rows[0].tenant_id !== tenant.tenantId) {
      throw new ProvisioningConflictError(`the agent ${tenant.agentEmail}`);
    }
    if (!agent.rows[0]) {
      await client
        .query("insert into agents (id, tenant_id, email, password_hash) values ($1, $2, $3, $4)", [
          createUuidV7(),
          tenant.tenantId,
          tenant.agentEmail,
          await hashPassword(tenant.agentPassword),
        ])
        .catch((error: unknown) => {
          // Another tenant's agent with this email, hidden from us by row-level security.
          if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
            throw new ProvisioningConflictError(`the agent ${tenant.agentEmail}`);
          }
          throw error;
        });
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

/** The KV records ingest reads: key id -> the tenant it belongs to and its secrets. */
export function buildWebhookKeyEntries(state: DevState): { key: string; value: string }[] {
  return state.tenants.map((tenant) => ({
    key: webhookKeyStorageKey(tenant.webhookKeyId),
    value: JSON.stringify({ tenantId: tenant.tenantId, secrets: [tenant.webhookSecret] }),
  }));
}
