import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "smol-toml";
import { loadDemoComplaints } from "./complaint-to-ticket.ts";
import { buildRoleUrl, openDevDatabase } from "./database.ts";
import type { DevState, DevTenant } from "./dev-state.ts";
import { loadOrCreateDevState } from "./dev-state.ts";
import { applyMigrations } from "./migrate.ts";
import { startNeonBridge } from "./neon-bridge.ts";
import { findFreePort, stopProcessGroup } from "./processes.ts";
import { buildWebhookKeyEntries, provisionDatabase } from "./provision.ts";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_CSV = join(PROJECT_ROOT, "scripts/demo/cfpb-complaints-demo.csv");
export const WRANGLER = join(PROJECT_ROOT, "node_modules/wrangler/bin/wrangler.js");

/** Edge first: `wrangler dev` serves the first config on the dev port. */
export const WORKER_CONFIGS = [
  { name: "edge", config: "wrangler.toml", secrets: false },
  { name: "ingest", config: "workers/ingest/wrangler.toml", secrets: false },
  { name: "processor", config: "workers/processor/wrangler.toml", secrets: true },
  { name: "dashboard", config: "workers/dashboard/wrangler.toml", secrets: true },
] as const;

const READY_TIMEOUT_MS = 60_000;

export interface DevStackOptions {
  /** Where state, generated configs and .dev.vars live; git-ignored. */
  stateDir: string;
  databaseUrl?: string | undefined;
  /** 0 picks a free port. */
  port: number;
  log: (line: string) => void;
  /** Receives wrangler's own output. */
  onWranglerOutput?: (chunk: string) => void;
}

export interface DevStack {
  url: string;
  /** wrangler's process id, also its process group (workerd runs inside it). */
  wranglerPid: number | undefined;
  state: DevState;
  databaseAdminUrl: string;
  embeddedDatabase: boolean;
  stop(): Promise<void>;
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const stateDir = resolve(options.stateDir);
  const companies = await readDemoCompanies();
  const { state } = await loadOrCreateDevState(join(stateDir, "dev-state.local.json"), companies);

  const database = await openDevDatabase({
    databaseUrl: options.databaseUrl,
    pgliteDir: join(stateDir, "pglite"),
  });
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };

  try {
    options.log(
      `postgres: ${database.embedded ? "embedded PGlite" : "DATABASE_URL"} at ${database.host}:${database.port}`,
    );
    await applyMigrations(database.adminUrl);
    await provisionDatabase(database.adminUrl, state);
    options.log(`migrations applied; ${state.tenants.length} tenants provisioned`);

    const bridge = await startNeonBridge({
      databaseHost: database.host,
      databasePort: database.port,
    });
    cleanups.push(() => bridge.close());
    const secrets: Record<string, Record<string, string>> = {
      processor: {
        DATABASE_URL: buildRoleUrl(database, "ticket_writer", state.writerPassword),
        DATABASE_WS_PROXY: `127.0.0.1:${bridge.port}`,
      },
      dashboard: {
        DATABASE_URL: buildRoleUrl(database, "ticket_reader", state.readerPassword),
        DATABASE_WS_PROXY: `127.0.0.1:${bridge.port}`,
      },
    };

    const configPaths = await writeWorkerConfigs(join(stateDir, "workers"), secrets);
    const persistDir = join(stateDir, "state");
    await seedWebhookKeys(
      state,
      configPaths.ingest,
      persistDir,
      join(stateDir, "webhook-keys.local.json"),
    );

    const port = options.port === 0 ? await findFreePort() : options.port;
    const wrangler = spawnWrangler(
      Object.values(configPaths),
      persistDir,
      port,
      options.onWranglerOutput,
    );
    cleanups.push(() => stopProcessGroup(wrangler));
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, wrangler);
    return {
      url,
      wranglerPid: wrangler.pid,
      state,
      databaseAdminUrl: database.adminUrl,
      embeddedDatabase: database.embedded,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export function describeTenants(tenants: readonly DevTenant[]): string {
  return tenants
    .map((tenant) =>
      [
        `  ${tenant.name} (slug ${tenant.slug})`,
        `    agent login     ${tenant.agentEmail} / ${tenant.agentPassword}`,
        `    webhook key id  ${tenant.webhookKeyId}`,
        `    webhook secret  ${tenant.webhookSecret}`,
      ].join("\n"),
    )
    .join("\n");
}

async function readDemoCompanies(): Promise<{ slug: string; name: string }[]> {
  const complaints = loadDemoComplaints(await readFile(DEMO_CSV, "utf8"));
  const bySlug = new Map(complaints.map((complaint) => [complaint.tenantSlug, complaint.company]));
  return [...bySlug].map(([slug, name]) => ({ slug, name }));
}

/**
 * Copies each wrangler.toml with an absolute `main`, beside its own generated
 * .dev.vars, so secrets never sit in the source tree and parallel stacks (a dev session
 * and a test run) do not overwrite each other's settings.
 */
async function writeWorkerConfigs(
  outDir: string,
  secrets: Record<string, Record<string, string>>,
): Promise<Record<(typeof WORKER_CONFIGS)[number]["name"], string>> {
  const paths: Partial<Record<(typeof WORKER_CONFIGS)[number]["name"], string>> = {};
  for (const worker of WORKER_CONFIGS) {
    const source = join(PROJECT_ROOT, worker.config);
    const config = parse(await readFile(source, "utf8"));
    if (typeof config.main !== "string") throw new Error(`${worker.config} has no main entry`);
    config.main = resolve(dirname(source), config.main);
    const dir = join(outDir, worker.name);
    await mkdir(dir, { recursive: true });
    const path = join(dir, "wrangler.toml");
    await writeFile(
      path,
      `# Generated from ${worker.config}; edit that file instead.\n${stringify(config)}\n`,
    );
    const vars = worker.secrets ? secrets[worker.name] : undefined;
    if (vars) {
      const lines = Object.entries(vars).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
      await writeFile(join(dir, ".dev.vars"), `${lines.join("\n")}\n`, { mode: 0o600 });
    }
    paths[worker.name] = path;
  }
  return paths as Record<(typeof WORKER_CONFIGS)[number]["name"], string>;
}

async function seedWebhookKeys(
  state: DevState,
  ingestConfig: string,
  persistDir: string,
  scratchFile: string,
): Promise<void> {
  await writeFile(scratchFile, JSON.stringify(buildWebhookKeyEntries(state)), { mode: 0o600 });
  await runWrangler([
    "kv",
    "bulk",
    "put",
    scratchFile,
    "--binding",
    "WEBHOOK_KEYS",
    "--local",
    "--persist-to",
    persistDir,
    "-c",
    ingestConfig,
  ]);
}

/**
 * Nothing local should reach the internet: no metrics, no update check, and no fetch of
 * Cloudflare's `Request.cf` sample (a placeholder is used instead).
 */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    NO_COLOR: "1",
  };
}

async function runWrangler(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: PROJECT_ROOT,
    env: wranglerEnv(),
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  if (code !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${output}`);
}

function spawnWrangler(
  configs: string[],
  persistDir: string,
  port: number,
  onOutput: ((chunk: string) => void) | undefined,
): ChildProcess {
  const args = [
    WRANGLER,
    "dev",
    ...configs.flatMap((config) => ["-c", config]),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    persistDir,
    "--show-interactive-dev-session=false",
    "--live-reload=false",
  ];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: wranglerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => onOutput?.(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => onOutput?.(chunk.toString()));
  return child;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}
