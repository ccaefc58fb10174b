import type { TestProject } from "vitest/node";
import type { DatabaseFixture } from "./database-fixture.ts";
import { startDatabaseFixture } from "./database-fixture.ts";

declare module "vitest" {
  export interface ProvidedContext {
    database: DatabaseFixture;
  }
}

/** One migrated, provisioned Postgres (and its Neon bridge) per test project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { fixture, stop } = await startDatabaseFixture(project.name.replace(/\W/g, "_"));
  project.provide("database", fixture);
  return stop;
}
