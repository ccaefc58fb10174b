import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUuidV7 } from "../../shared/ids.ts";

/**
 * Roles, grants and row-level security from migrations/0001, against the run's real
 * Postgres (embedded PGlite, or the machine's own with DATABASE_URL). Each worker role is
 * exercised two ways: by `SET LOCAL ROLE` on the admin connection, as withTenant does,
 * and (on a real server only) by logging in as the role itself.
 */

const database = inject("database");

type WorkerRole = "ticket_writer" | "ticket_reader";
const WORKER_ROLES: readonly WorkerRole[] = ["ticket_writer", "ticket_reader"];
const DATABASE_ROLES = ["ticket_writer", "ticket_reader", "ticket_auth"] as const;
const TENANT_TABLES = ["tenants", "agents", "tickets", "ticket_sentiments"] as const;

const PERMISSION_DENIED = "42501";
const UNIQUE_VIOLATION = "23505";

const alpha = tenantAt(0);
const beta = tenantAt(1);

interface SeededTicket {
  id: string;
  tenantId: string;
  externalId: string;
  webhookId: string;
}

const alphaTickets = [seedTicket(alpha.tenantId, "alpha-1"), seedTicket(alpha.tenantId, "alpha-2")];
const betaTickets = [seedTicket(beta.tenantId, "beta-1")];

/** How a test reaches a worker role: a connection, and what each transaction must run first. */
interface RoleAccess {
  label: string;
  /** PGlite serves every connection as its superuser, so only a real server can log in as a role. */
  isAvailable: boolean;
  connectionFor(role: WorkerRole): pg.Client;
  enterRole(role: WorkerRole): string | undefined;
}

let admin: pg.Client;
const roleClients = new Map<WorkerRole, pg.Client>();

const viaSetRole: RoleAccess = {
  label: "SET LOCAL ROLE on the admin connection",
  isAvailable: true,
  connectionFor: () => admin,
  // Role names cannot be bound parameters; these are constants.
  enterRole: (role) => `set local role ${role}`,
};

const viaLogin: RoleAccess = {
  label: "logged in as the role",
  isAvailable: !database.embedded,
  connectionFor: (role) => {
    const client = roleClients.get(role);
    if (!client) throw new Error(`no connection for ${role}`);
    return client;
  },
  enterRole: () => undefined,
};

beforeAll(async () => {
  admin = await connect(database.adminUrl);

  // Seeded as admin inside tenant-scoped transactions and committed, so that connections
  // logged in as the worker roles see them too.
  for (const ticket of [...alphaTickets, ...betaTickets]) {
    await admin.query("begin");
    await admin.query("select set_config('app.tenant_id', $1, true)", [ticket.tenantId]);
    await insertTicket(admin, ticket);
    await insertSentiment(admin, ticket.id, ticket.tenantId);
    await admin.query("commit");
  }
});

afterAll(async () => {
  await admin.end();
});

for (const access of [viaSetRole, viaLogin]) {
  describe.skipIf(!access.isAvailable)(`worker roles, ${access.label}`, () => {
    beforeAll(async () => {
      if (access !== viaLogin) return;
      roleClients.set("ticket_writer", await connect(database.writerUrl));
      roleClients.set("ticket_reader", await connect(database.readerUrl));
    });

    afterAll(async () => {
      if (access !== viaLogin) return;
      for (const client of roleClients.values()) await client.end();
      roleClients.clear();
    });

    it.each(WORKER_ROLES)("runs as %s and not as a superuser", async (role) => {
      const row = await asRole(access, role, undefined, async (client) => {
        const result = await client.query<{ current_user: string; rolsuper: boolean }>(
          "select current_user, rolsuper from pg_roles where rolname = current_user",
        );
        return result.rows[0];
      });

      expect(row).toEqual({ current_user: role, rolsuper: false });
    });

    it.each(WORKER_ROLES)(
      "%s sees no tickets, tenants or sentiments without a tenant",
      async (role) => {
        const counts = await asRole(access, role, undefined, async (client) => ({
          tickets: await countRows(client, "select count(*) from tickets"),
          tenants: await countRows(client, "select count(*) from tenants"),
          sentiments: await countRows(client, "select count(*) from ticket_sentiments"),
          // The filter a careless query might add does not help either.
          alphaTicket: await countRows(client, "select count(*) from tickets where id = $1", [
            alphaTickets[0]?.id,
          ]),
        }));

        expect(counts).toEqual({ tickets: 0, tenants: 0, sentiments: 0, alphaTicket: 0 });
      },
    );

    it.each(WORKER_ROLES)("%s sees only the current tenant's rows", async (role) => {
      const seen = await asRole(access, role, alpha.tenantId, async (client) => ({
        tickets: await client.query<{ id: string; tenant_id: string }>(
          "select id, tenant_id from tickets",
        ),
        sentiments: await client.query<{ ticket_id: string; tenant_id: string }>(
          "select ticket_id, tenant_id from ticket_sentiments",
        ),
        tenants: await client.query<{ id: string }>("select id from tenants"),
      }));

      expect(seen.tenants.rows).toEqual([{ id: alpha.tenantId }]);
      expect(new Set(seen.tickets.rows.map((row) => row.tenant_id))).toEqual(
        new Set([alpha.tenantId]),
      );
      expect(seen.tickets.rows.map((row) => row.id)).toEqual(
        expect.arrayContaining(alphaTickets.map((ticket) => ticket.id)),
      );
      expect(new Set(seen.sentiments.rows.map((row) => row.tenant_id))).toEqual(
        new Set([alpha.tenantId]),
      );
      expect(seen.sentiments.rows.map((row) => row.ticket_id)).toEqual(
        expect.arrayContaining(alphaTickets.map((ticket) => ticket.id)),
      );
    });

    it.each(WORKER_ROLES)(
      "%s gets nothing of tenant B while tenant A is set, even by B's ids",
      async (role) => {
        const betaTicket = betaTickets[0];
        const counts = await asRole(access, role, alpha.tenantId, async (client) => ({
          ticketById: await countRows(client, "select count(*) from tickets where id = $1", [
            betaTicket?.id,
          ]),
          ticketsByTenant: await countRows(
            client,
            "select count(*) from tickets where tenant_id = $1",
            [beta.tenantId],
          ),
          sentimentByTicket: await countRows(
            client,
            "select count(*) from ticket_sentiments where ticket_id = $1",
            [betaTicket?.id],
          ),
          tenantById: await countRows(client, "select count(*) from tenants where id = $1", [
            beta.tenantId,
          ]),
          // A join through a table the role can read does not reach around the policy.
          joined: await countRows(
            client,
            `select count(*) from tickets t join ticket_sentiments s on s.ticket_id = t.id
           where t.tenant_id = $1 or s.tenant_id = $1`,
            [beta.tenantId],
          ),
        }));

        expect(counts).toEqual({
          ticketById: 0,
          ticketsByTenant: 0,
          sentimentByTicket: 0,
          tenantById: 0,
          joined: 0,
        });
      },
    );

    it.each(WORKER_ROLES)(
      "%s may not read agents at all, with or without a tenant",
      async (role) => {
        for (const tenantId of [undefined, alpha.tenantId]) {
          await asRole(access, role, tenantId, async (client) => {
            await expect(
              client.query("select email, password_hash from agents"),
            ).rejects.toMatchObject({
              code: PERMISSION_DENIED,
              message: "permission denied for table agents",
            });
          });
        }
      },
    );

    describe("ticket_writer", () => {
      it("inserts a ticket and its sentiment for the current tenant", async () => {
        const ticket = seedTicket(alpha.tenantId, "writer-own");

        const visible = await asRole(access, "ticket_writer", alpha.tenantId, async (client) => {
          await insertTicket(client, ticket);
          await insertSentiment(client, ticket.id, alpha.tenantId);
          return countRows(client, "select count(*) from ticket_sentiments where ticket_id = $1", [
            ticket.id,
          ]);
        });

        // A control for the refusals below: the writer can write, just not across tenants.
        expect(visible).toBe(1);
      });

      it("cannot insert a ticket carrying tenant B's id while tenant A is set", async () => {
        const ticket = seedTicket(beta.tenantId, "writer-cross");

        await asRole(access, "ticket_writer", alpha.tenantId, async (client) => {
          await expect(insertTicket(client, ticket)).rejects.toMatchObject({
            code: PERMISSION_DENIED,
            message: 'new row violates row-level security policy for table "tickets"',
          });
        });
      });

      it("cannot insert a sentiment carrying tenant B's id while tenant A is set", async () => {
        await asRole(access, "ticket_writer", alpha.tenantId, async (client) => {
          await expect(
            client.query(
              `insert into ticket_sentiments (ticket_id, tenant_id, label, score, analyzer)
               values ($1, $2, 'positive', 0.9, 'lexicon')`,
              [createUuidV7(), beta.tenantId],
            ),
          ).rejects.toMatchObject({
            code: PERMISSION_DENIED,
            message: 'new row violates row-level security policy for table "ticket_sentiments"',
          });
        });
      });

      it("cannot insert a ticket without a tenant set", async () => {
        await asRole(access, "ticket_writer", undefined, async (client) => {
          await expect(
            insertTicket(client, seedTicket(alpha.tenantId, "writer-none")),
          ).rejects.toMatchObject({
            code: PERMISSION_DENIED,
            message: 'new row violates row-level security policy for table "tickets"',
          });
        });
      });

      it.each([
        ["update tickets", "update tickets set subject = 'changed'"],
        ["delete tickets", "delete from tickets"],
        ["update ticket_sentiments", "update ticket_sentiments set label = 'positive'"],
        ["delete ticket_sentiments", "delete from ticket_sentiments"],
        [
          "insert tenants",
          "insert into tenants (id, slug, name) values (gen_random_uuid(), 'x', 'X')",
        ],
        ["update tenants", "update tenants set name = 'changed'"],
        ["delete tenants", "delete from tenants"],
        ["update agents", "update agents set role = 'admin'"],
      ])("is denied permission to %s", async (label, statement) => {
        const table = label.split(" ")[1];

        await asRole(access, "ticket_writer", alpha.tenantId, async (client) => {
          await expect(client.query(statement)).rejects.toMatchObject({
            code: PERMISSION_DENIED,
            message: `permission denied for table ${table}`,
          });
        });
      });

      it("cannot call auth_find_agent", async () => {
        await asRole(access, "ticket_writer", undefined, async (client) => {
          await expect(
            client.query("select * from auth_find_agent($1)", [alpha.agentEmail]),
          ).rejects.toMatchObject({
            code: PERMISSION_DENIED,
            message: "permission denied for function auth_find_agent",
          });
        });
      });

      it("rejects a second ticket with the same external id for the same tenant", async () => {
        const original = alphaTickets[0];
        const duplicate = {
          ...seedTicket(alpha.tenantId, "dup-external"),
          externalId: original?.externalId ?? "",
        };

        await asRole(access, "ticket_writer", alpha.tenantId, async (client) => {
          await expect(insertTicket(client, duplicate)).rejects.toMatchObject({
            code: UNIQUE_VIOLATION,
            constraint: "tickets_tenant_external_key",
          });
        });
      });

      it("rejects a second ticket with the same webhook id for the same tenant", async () => {
        const original = alphaTickets[0];
        const duplicate = {
          ...seedTicket(alpha.tenantId, "dup-webhook"),
          webhookId: original?.webhookId ?? "",
        };

        await asRole(access, "ticket_writer", alpha.tenantId, async (client) => {
          await expect(insertTicket(client, duplicate)).rejects.toMatchObject({
            code: UNIQUE_VIOLATION,
            constraint: "tickets_tenant_webhook_key",
          });
        });
      });

      it("accepts another tenant's external and webhook ids: the keys are per tenant", async () => {
        const original = alphaTickets[0];
        const sameKeysForBeta = {
          id: createUuidV7(),
          tenantId: beta.tenantId,
          externalId: original?.externalId ?? "",
          webhookId: original?.webhookId ?? "",
        };

        const visible = await asRole(access, "ticket_writer", beta.tenantId, async (client) => {
          await insertTicket(client, sameKeysForBeta);
          return countRows(client, "select count(*) from tickets where id = $1", [
            sameKeysForBeta.id,
          ]);
        });

        expect(visible).toBe(1);
      });
    });

    describe("ticket_reader", () => {
      it.each([
        ["insert into tickets", () => ticketInsert(seedTicket(alpha.tenantId, "reader-insert"))],
        ["update tickets", () => ({ text: "update tickets set subject = 'changed'", values: [] })],
        ["delete from tickets", () => ({ text: "delete from tickets", values: [] })],
        [
          "insert into ticket_sentiments",
          () => ({
            text: `insert into ticket_sentiments (ticket_id, tenant_id, label, score, analyzer)
                   values ($1, $2, 'positive', 0.5, 'lexicon')`,
            values: [alphaTickets[0]?.id, alpha.tenantId],
          }),
        ],
        [
          "update ticket_sentiments",
          () => ({ text: "update ticket_sentiments set score = 0", values: [] }),
        ],
        [
          "delete from ticket_sentiments",
          () => ({ text: "delete from ticket_sentiments", values: [] }),
        ],
        [
          "insert into tenants",
          () => ({
            text: "insert into tenants (id, slug, name) values ($1, 'x', 'X')",
            values: [alpha.tenantId],
          }),
        ],
        ["update tenants", () => ({ text: "update tenants set name = 'changed'", values: [] })],
        ["delete from tenants", () => ({ text: "delete from tenants", values: [] })],
        [
          "insert into agents",
          () => ({
            text: "insert into agents (id, tenant_id, email, password_hash) values ($1, $2, 'x@x.example', 'x')",
            values: [createUuidV7(), alpha.tenantId],
          }),
        ],
        ["update agents", () => ({ text: "update agents set role = 'admin'", values: [] })],
        ["delete from agents", () => ({ text: "delete from agents", values: [] })],
      ])("is denied permission to %s", async (label, buildStatement) => {
        const table = label.split(" ").at(-1);
        const statement = buildStatement();

        await asRole(access, "ticket_reader", alpha.tenantId, async (client) => {
          await expect(client.query(statement.text, statement.values)).rejects.toMatchObject({
            code: PERMISSION_DENIED,
            message: `permission denied for table ${table}`,
          });
        });
      });

      it("finds an agent's hash through auth_find_agent, case-insensitively and before any tenant", async () => {
        const rows = await asRole(access, "ticket_reader", undefined, async (client) => {
          const result = await client.query<{
            tenant_id: string;
            email: string;
            password_hash: string;
          }>("select tenant_id, email, password_hash from auth_find_agent($1)", [
            alpha.agentEmail.toUpperCase(),
          ]);
          return result.rows;
        });

        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ tenant_id: alpha.tenantId, email: alpha.agentEmail });
        expect(rows[0]?.password_hash).toMatch(/^pbkdf2-sha256\$\d+\$/);
      });

      it("finds each tenant's own agent and no other", async () => {
        const found = await asRole(access, "ticket_reader", undefined, async (client) => {
          const result = await client.query<{ tenant_id: string }>(
            "select tenant_id from auth_find_agent($1)",
            [beta.agentEmail],
          );
          return result.rows;
        });

        expect(found).toEqual([{ tenant_id: beta.tenantId }]);
      });

      it.each([
        ["a classic injection", "' or '1'='1"],
        ["an injection that comments out the rest", "x' or 1=1 --"],
        ["a stacked statement", "x'; delete from agents; --"],
        ["a LIKE wildcard", "%"],
        ["an empty string", ""],
        ["an unknown address", "nobody@alpha-bank.example"],
      ])("returns no agent for %s as the email", async (_label, email) => {
        const count = await asRole(access, "ticket_reader", undefined, async (client) =>
          countRows(client, "select count(*) from auth_find_agent($1)", [email]),
        );

        expect(count).toBe(0);
      });
    });

    it.each(WORKER_ROLES)("%s loses the tenant when the transaction commits", async (role) => {
      const client = access.connectionFor(role);

      await client.query("begin");
      await enterScope(access, client, role, alpha.tenantId);
      const during = await countRows(client, "select count(*) from tickets");
      await client.query("commit");

      // Same connection, next transaction, nothing set: the setting must not carry over.
      await client.query("begin");
      try {
        const roleStatement = access.enterRole(role);
        if (roleStatement) await client.query(roleStatement);
        const after = await countRows(client, "select count(*) from tickets");
        const setting = await client.query<{ tenant: string | null }>(
          "select current_setting('app.tenant_id', true) as tenant",
        );

        expect(during).toBeGreaterThanOrEqual(alphaTickets.length);
        expect(after).toBe(0);
        expect(setting.rows[0]?.tenant ?? "").toBe("");
      } finally {
        await client.query("rollback");
      }
    });
  });
}

describe("the agents policy itself", () => {
  it("hides every agent without a tenant and shows only the tenant's own with one", async () => {
    // No worker role may read agents, so a throwaway role with SELECT on agents (created
    // and dropped with the transaction) is what shows the tenant policy on that table.
    const probe = `rls_probe_${process.pid}_${Date.now().toString(36)}`;

    await admin.query("begin");
    try {
      await admin.query(`create role ${probe} nologin`);
      await admin.query(`grant select on agents to ${probe}`);
      await admin.query(`set local role ${probe}`);
      const withoutTenant = await countRows(admin, "select count(*) from agents");
      await admin.query("select set_config('app.tenant_id', $1, true)", [alpha.tenantId]);
      const withTenant = await admin.query<{ tenant_id: string }>("select tenant_id from agents");

      expect(withoutTenant).toBe(0);
      expect(withTenant.rows).toEqual([{ tenant_id: alpha.tenantId }]);
    } finally {
      await admin.query("rollback");
    }
  });
});

describe("ownership and forced row-level security", () => {
  it("leaves every table to an owner that is none of the worker roles", async () => {
    const result = await admin.query<{ tablename: string; tableowner: string }>(
      "select tablename, tableowner from pg_tables where schemaname = 'public' and tablename = any($1)",
      [TENANT_TABLES],
    );

    expect(result.rows.map((row) => row.tablename).sort()).toEqual([...TENANT_TABLES].sort());
    for (const row of result.rows) expect(DATABASE_ROLES).not.toContain(row.tableowner);
  });

  it("enables and forces row-level security on all four tables", async () => {
    const result = await admin.query<{
      relname: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
    }>(
      `select relname, relrowsecurity, relforcerowsecurity from pg_class
       where relnamespace = 'public'::regnamespace and relkind = 'r' and relname = any($1)`,
      [TENANT_TABLES],
    );

    expect(result.rows).toHaveLength(TENANT_TABLES.length);
    for (const row of result.rows) {
      expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    }
  });

  it("gives no database role superuser or BYPASSRLS", async () => {
    const result = await admin.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      "select rolname, rolsuper, rolbypassrls from pg_roles where rolname = any($1) order by rolname",
      [DATABASE_ROLES],
    );

    expect(result.rows).toEqual(
      [...DATABASE_ROLES]
        .sort()
        .map((rolname) => ({ rolname, rolsuper: false, rolbypassrls: false })),
    );
  });
});

function tenantAt(index: number): (typeof database.tenants)[number] {
  const tenant = database.tenants[index];
  if (!tenant) throw new Error(`the database fixture has no tenant at ${index}`);
  return tenant;
}

function seedTicket(tenantId: string, label: string): SeededTicket {
  const id = createUuidV7();
  return { id, tenantId, externalId: `${label}-${id}`, webhookId: `msg_${label}_${id}` };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * Runs `work` in a transaction acting as `role`, with `app.tenant_id` set when a tenant is
 * given, and always rolls back: tests leave no rows behind and a failed statement ends
 * only its own transaction.
 */
async function asRole<T>(
  access: RoleAccess,
  role: WorkerRole,
  tenantId: string | undefined,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = access.connectionFor(role);
  await client.query("begin");
  try {
    await enterScope(access, client, role, tenantId);
    return await work(client);
  } finally {
    await client.query("rollback");
  }
}

async function enterScope(
  access: RoleAccess,
  client: pg.Client,
  role: WorkerRole,
  tenantId: string | undefined,
): Promise<void> {
  const roleStatement = access.enterRole(role);
  if (roleStatement) await client.query(roleStatement);
  if (tenantId) await client.query("select set_config('app.tenant_id', $1, true)", [tenantId]);
}

async function countRows(client: pg.Client, text: string, values: unknown[] = []): Promise<number> {
  const result = await client.query<{ count: string }>(text, values);
  return Number(result.rows[0]?.count);
}

function ticketInsert(ticket: SeededTicket): { text: string; values: unknown[] } {
  return {
    text: `insert into tickets
             (id, tenant_id, external_id, webhook_id, subject, body, customer_name, customer_email, received_at)
           values ($1, $2, $3, $4, 'Card declined', 'It was declined.', 'Ada', 'ada@example.com', now())`,
    values: [ticket.id, ticket.tenantId, ticket.externalId, ticket.webhookId],
  };
}

async function insertTicket(client: pg.Client, ticket: SeededTicket): Promise<void> {
  const statement = ticketInsert(ticket);
  await client.query(statement.text, statement.values);
}

async function insertSentiment(
  client: pg.Client,
  ticketId: string,
  tenantId: string,
): Promise<void> {
  await client.query(
    `insert into ticket_sentiments (ticket_id, tenant_id, label, score, analyzer)
     values ($1, $2, 'negative', -0.6, 'lexicon')`,
    [ticketId, tenantId],
  );
}
