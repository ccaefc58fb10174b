import type { DatabaseHandle, DatabaseRole } from "../../../shared/db/client.ts";
import { openDatabase } from "../../../shared/db/client.ts";

/**
 * The database fixture as the workers-* projects receive it in the TEST_DATABASE
 * binding (test/support/database-fixture.ts builds it in Node; that file cannot be
 * imported here, so its shape is restated).
 */
export interface TestTenant {
  tenantId: string;
  slug: string;
  name: string;
  webhookKeyId: string;
  webhookSecret: string;
  agentEmail: string;
  agentPassword: string;
}

export interface TestDatabase {
  adminUrl: string;
  writerUrl: string;
  readerUrl: string;
  wsProxy: string;
  embedded: boolean;
  tenants: TestTenant[];
}

export function readTestDatabase(binding: string): TestDatabase {
  return JSON.parse(binding) as TestDatabase;
}

export function tenantAt(database: TestDatabase, index: number): TestTenant {
  const tenant = database.tenants[index];
  if (!tenant) throw new Error(`the fixture has no tenant #${index}`);
  return tenant;
}

/**
 * Runs `work` on a connection as the database owner. Raw SQL on it sees every tenant
 * (the owner is a superuser here); `withTenant` on it drops to `role` under row-level
 * security, exactly as the workers do.
 */
export async function withAdminDatabase<T>(
  database: TestDatabase,
  role: DatabaseRole,
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase({ url: database.adminUrl, role, wsProxy: database.wsProxy });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}
