import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";

/**
 * Least privilege by configuration: each worker may hold only the bindings that
 * ARCHITECTURE.md's table allows. Adding one anywhere else fails here first.
 */
const ALLOWED_BINDINGS: Record<string, string[]> = {
  "wrangler.toml": [
    "services:INGEST->ingest",
    "services:DASHBOARD->dashboard",
    "ratelimits:WEBHOOK_RATE_LIMITER",
    "ratelimits:DASHBOARD_RATE_LIMITER",
    "ratelimits:LOGIN_RATE_LIMITER",
  ],
  "workers/ingest/wrangler.toml": [
    "kv_namespaces:WEBHOOK_KEYS",
    "queues.producers:TICKETS->tickets",
  ],
  "workers/processor/wrangler.toml": [
    "queues.consumers:tickets",
    "durable_objects:TENANT_HUB->dashboard/TenantHub",
  ],
  "workers/dashboard/wrangler.toml": [
    "durable_objects:TENANT_HUB->TenantHub",
    "durable_objects:LOGIN_THROTTLE->LoginThrottle",
    "kv_namespaces:SESSIONS",
  ],
};

/** Every wrangler key that grants a capability; a config using any other fails below. */
const CAPABILITY_KEYS = [
  "services",
  "kv_namespaces",
  "queues",
  "durable_objects",
  "r2_buckets",
  "d1_databases",
  "ratelimits",
  "hyperdrive",
  "ai",
  "vectorize",
  "send_email",
  "analytics_engine_datasets",
  "browser",
  "workflows",
  "mtls_certificates",
  "dispatch_namespaces",
  "secrets_store_secrets",
  "unsafe",
  "images",
  "pipelines",
  "vpc_services",
  "tail_consumers",
  "version_metadata",
];

/** The capability keys `listBindings` understands. */
const COUNTED_KEYS = [
  "services",
  "kv_namespaces",
  "queues",
  "durable_objects",
  "ratelimits",
  "r2_buckets",
];

type Table = Record<string, unknown>;

function listBindings(config: Table): string[] {
  const bindings: string[] = [];
  const entries = (key: string) => (config[key] as Table[] | undefined) ?? [];
  for (const service of entries("services"))
    bindings.push(`services:${String(service.binding)}->${String(service.service)}`);
  for (const kv of entries("kv_namespaces")) bindings.push(`kv_namespaces:${String(kv.binding)}`);
  for (const limiter of entries("ratelimits")) bindings.push(`ratelimits:${String(limiter.name)}`);
  for (const bucket of entries("r2_buckets")) bindings.push(`r2_buckets:${String(bucket.binding)}`);
  const queues = (config.queues as Table | undefined) ?? {};
  for (const producer of (queues.producers as Table[] | undefined) ?? []) {
    bindings.push(`queues.producers:${String(producer.binding)}->${String(producer.queue)}`);
  }
  for (const consumer of (queues.consumers as Table[] | undefined) ?? []) {
    bindings.push(`queues.consumers:${String(consumer.queue)}`);
  }
  const durableObjects = (config.durable_objects as Table | undefined) ?? {};
  for (const binding of (durableObjects.bindings as Table[] | undefined) ?? []) {
    const host = typeof binding.script_name === "string" ? `${binding.script_name}/` : "";
    bindings.push(`durable_objects:${String(binding.name)}->${host}${String(binding.class_name)}`);
  }
  return bindings.sort();
}

function readConfig(path: string): Table {
  return parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
}

describe("worker bindings", () => {
  for (const [path, allowed] of Object.entries(ALLOWED_BINDINGS)) {
    it(`${path} binds exactly what the architecture allows`, () => {
      const config = readConfig(path);

      expect(listBindings(config)).toEqual([...allowed].sort());
      const uncounted = Object.keys(config).filter(
        (key) => CAPABILITY_KEYS.includes(key) && !COUNTED_KEYS.includes(key),
      );
      expect(uncounted).toEqual([]);
      expect(config.vars ?? {}).toEqual({});
    });
  }

  it("only edge is reachable from the internet", () => {
    for (const path of Object.keys(ALLOWED_BINDINGS).filter((path) => path !== "wrangler.toml")) {
      const config = readConfig(path);

      expect(config.workers_dev, path).toBe(false);
      expect(config.preview_urls, path).toBe(false);
      expect(config.routes ?? config.route, path).toBeUndefined();
    }
  });

  it("keeps the ticket queue on dead-letter with bounded retries", () => {
    const consumer = (
      (readConfig("workers/processor/wrangler.toml").queues as Table).consumers as Table[]
    )[0];

    expect(consumer?.dead_letter_queue).toBe("tickets-dlq");
    expect(consumer?.max_retries).toBeGreaterThan(0);
  });
});
