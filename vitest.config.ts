import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { DatabaseFixture } from "./test/support/database-fixture.ts";

/**
 * Four kinds of test, one command (`npm test`):
 * - unit: pure functions in Node;
 * - postgres: roles, grants and row-level security against a real Postgres;
 * - workers-*: each worker inside workerd with real Miniflare KV, Queues and Durable
 *   Objects, talking to that Postgres through the Neon driver and the loopback bridge;
 * - e2e: the whole dev stack (`wrangler dev` with all four workers) from outside,
 *   including a real Chromium for the dashboard.
 */
const DATABASE_SETUP = "./test/support/global-setup.ts";

function databaseBindings(database: DatabaseFixture, role: "writer" | "reader") {
  return {
    DATABASE_URL: role === "writer" ? database.writerUrl : database.readerUrl,
    DATABASE_WS_PROXY: database.wsProxy,
    TEST_DATABASE: JSON.stringify(database),
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        test: {
          name: "postgres",
          include: ["test/postgres/**/*.test.ts"],
          environment: "node",
          globalSetup: [DATABASE_SETUP],
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: "./test/workers/ingest/ingest-entry.ts",
            wrangler: { configPath: "./workers/ingest/wrangler.toml" },
            miniflare: {
              // Deliver what ingest queues back to the test entry, so tests observe the real queue.
              queueConsumers: { tickets: { maxBatchTimeout: 0 } },
            },
          }),
        ],
        test: { name: "workers-ingest", include: ["test/workers/ingest/**/*.test.ts"] },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./test/workers/processor/processor-entry.ts",
            miniflare: {
              compatibilityDate: "2026-11-01",
              durableObjects: { TENANT_HUB: "TenantHub" },
              bindings: databaseBindings(inject("database"), "writer"),
            },
          })),
        ],
        test: {
          name: "workers-processor",
          include: ["test/workers/processor/**/*.test.ts"],
          globalSetup: [DATABASE_SETUP],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./workers/dashboard/wrangler.toml" },
            miniflare: { bindings: databaseBindings(inject("database"), "reader") },
          })),
        ],
        test: {
          name: "workers-dashboard",
          include: ["test/workers/dashboard/**/*.test.ts"],
          globalSetup: [DATABASE_SETUP],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
