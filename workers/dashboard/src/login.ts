import { z } from "zod";
import { findAgentByEmail } from "../../../shared/adapters/postgres-agent-directory.ts";
import {
  burnPasswordCheck,
  MAX_PASSWORD_CHARS,
  verifyPassword,
} from "../../../shared/auth/password.ts";
import type { DatabaseHandle } from "../../../shared/db/client.ts";
import { MAX_EMAIL_CHARS } from "../../../shared/tickets/schema.ts";
import { isPrintableAscii } from "../../../shared/text.ts";

export const loginFormSchema = z.object({
  // Agents' emails are ASCII. Anything else is refused before lookup: Postgres refuses a
  // NUL outright, and its lower() and JavaScript's differ beyond ASCII ("İ"), which
  // would give one account several lockout counters.
  email: z.string().trim().min(3).max(MAX_EMAIL_CHARS).refine(isPrintableAscii),
  password: z.string().min(1).max(MAX_PASSWORD_CHARS),
});

export type LoginForm = z.infer<typeof loginFormSchema>;

export interface AuthenticatedAgent {
  agentId: string;
  tenantId: string;
  email: string;
}

/**
 * Same answer, and roughly the same time, for an unknown email and a wrong password,
 * so neither the response nor its timing says which accounts exist.
 */
export async function authenticateAgent(
  database: DatabaseHandle,
  form: LoginForm,
): Promise<AuthenticatedAgent | undefined> {
  const agent = await findAgentByEmail(database, form.email);
  if (!agent) {
    await burnPasswordCheck(form.password);
    return undefined;
  }
  if (!(await verifyPassword(form.password, agent.passwordHash))) return undefined;
  return { agentId: agent.agentId, tenantId: agent.tenantId, email: agent.email };
}
