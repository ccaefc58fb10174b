import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createUuidV7 } from "../../shared/ids.ts";
import { generateWebhookSecret } from "../../shared/webhook/signature.ts";
import { encodeBase64Url } from "../../shared/encoding.ts";

/**
 * Everything secret that local development needs, generated once and kept in a
 * git-ignored file so that running `npm run dev` twice changes nothing.
 */
export interface DevTenant {
  tenantId: string;
  slug: string;
  name: string;
  webhookKeyId: string;
  webhookSecret: string;
  agentEmail: string;
  agentPassword: string;
}

export interface DevState {
  writerPassword: string;
  readerPassword: string;
  tenants: DevTenant[];
}

export async function loadOrCreateDevState(
  path: string,
  companies: readonly { slug: string; name: string }[],
): Promise<{ state: DevState; changed: boolean }> {
  const existing = existsSync(path)
    ? (JSON.parse(await readFile(path, "utf8")) as DevState)
    : undefined;
  const state: DevState = existing ?? {
    writerPassword: generatePassword(),
    readerPassword: generatePassword(),
    tenants: [],
  };
  let changed = existing === undefined;
  for (const company of companies) {
    if (state.tenants.some((tenant) => tenant.slug === company.slug)) continue;
    state.tenants.push(createDevTenant(company));
    changed = true;
  }
  if (changed) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }
  return { state, changed };
}

export function createDevTenant(company: { slug: string; name: string }): DevTenant {
  return {
    tenantId: createUuidV7(),
    slug: company.slug,
    name: company.name,
    webhookKeyId: `whk_${encodeBase64Url(crypto.getRandomValues(new Uint8Array(12)))}`,
    webhookSecret: generateWebhookSecret(),
    agentEmail: `agent@${company.slug}.example`,
    agentPassword: generatePassword(),
  };
}

/** 24 random bytes, base64url: 32 characters, comfortably past the password policy. */
export function generatePassword(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
}
