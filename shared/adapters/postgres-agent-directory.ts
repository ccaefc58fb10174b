import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";

export interface AgentCredentials {
  agentId: string;
  tenantId: string;
  email: string;
  passwordHash: string;
  role: string;
}

/**
 * Login is the one read that precedes any tenant: it goes through the
 * `auth_find_agent` SECURITY DEFINER function, which sees agents and nothing else, and
 * binds the email as a parameter like every other query here.
 */
export async function findAgentByEmail(
  handle: DatabaseHandle,
  email: string,
): Promise<AgentCredentials | undefined> {
  const result = await handle.db.execute<{
    agent_id: string;
    tenant_id: string;
    email: string;
    password_hash: string;
    role: string;
  }>(sql`select agent_id, tenant_id, email, password_hash, role from auth_find_agent(${email})`);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    agentId: row.agent_id,
    tenantId: row.tenant_id,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role,
  };
}
