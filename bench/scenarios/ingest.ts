import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadDemoComplaints } from "../../scripts/lib/complaint-to-ticket.ts";
import type { DemoComplaint } from "../../scripts/lib/complaint-to-ticket.ts";
import { DEMO_CSV, PROJECT_ROOT } from "../../scripts/lib/dev-stack.ts";
import { startScratchDevStack } from "../../scripts/lib/scratch-database.ts";
import type { MerchantKey } from "../../scripts/lib/webhook-client.ts";
import { buildSignedTicketRequest } from "../../scripts/lib/webhook-client.ts";
import { generateWebhookSecret } from "../../shared/webhook/signature.ts";
import { startWranglerDev, writeBaselineConfig } from "../fixtures/baseline-workers.ts";
import type { BaselineWorker } from "../fixtures/baseline-workers.ts";
import type { CpuPlan } from "../lib/cpu.ts";
import { pinnedCommand, pinProcessGroup, pinSelf, planCpus, releaseSelf } from "../lib/cpu.ts";
import { summarize } from "../lib/stats.ts";
import type { Measurement, ScenarioContext, Scenario } from "../lib/types.ts";
import type { LoadJob, LoadResult, PlainRequest } from "../load/autocannon-job.ts";
import { canReadProcessCpu, cpuSpent, snapshotCpu } from "../load/process-cpu.ts";

const CONNECTIONS = 10;
const REQUEST_TIMEOUT_SECONDS = 10;
/** Share of signed requests that must come back 202 for our figures to mean anything. */
const REQUIRED_ACCEPTED_SHARE = 0.99;
/** How long the processor gets after the load to store what ingest queued. */
const DRAIN_TIMEOUT_MS = 30_000;
/** 198.18.0.0/15, reserved for benchmarking (RFC 2544, RFC 6890): no real client has one. */
const SYNTHETIC_ADDRESS_COUNT = 2 ** 17 - 2;
/** The edge's login limit (wrangler.toml): 10 POSTs a minute per CF-Connecting-IP. */
const LOGIN_LIMIT_PER_MINUTE = 10;
/** The goal: server CPU per ticket over the Hono baseline's, in ms (a proposal; see the report). */
const EXTRA_SERVER_MS_GOAL = 5;

interface Sizes {
  warmup: number;
  measured: number;
  /** Responses per throughput sample. */
  window: number;
}

interface Variant {
  name: string;
  isBaseline: boolean;
  result: LoadResult;
  /** Server-side CPU seconds during the load (and, for ours, until the processor caught up), by role. */
  cpuSeconds: Record<string, number>;
}

export const ingestScenario: Scenario = {
  name: "ingest",
  title: "Ingest throughput and latency against two Worker baselines",
  goal:
    "Every valid signed ticket is accepted (at least 99% answered 202), and the whole checked path (edge → ingest → " +
    `queue, with the processor consuming alongside) costs at most ${EXTRA_SERVER_MS_GOAL} ms more server CPU per ticket ` +
    "than a bare Hono route that only parses the JSON body, on the same workerd at 10 connections.",
  async run(context) {
    const sizes: Sizes = context.quick
      ? { warmup: 50, measured: 300, window: 50 }
      : { warmup: 200, measured: 2_000, window: 200 };
    const plan = planCpus();
    const scratch = await mkdtemp(join(tmpdir(), "bench-ingest-"));
    const complaints = loadDemoComplaints(await readFile(DEMO_CSV, "utf8"));
    const runId = Date.now().toString(36);
    context.log(
      `${sizes.measured} requests after ${sizes.warmup} warm-up at ${CONNECTIONS} connections, per variant`,
    );
    try {
      const variants: Variant[] = [];
      const baselineKey: MerchantKey = {
        webhookKeyId: "whk_benchbaseline0000000",
        webhookSecret: generateWebhookSecret(),
      };
      for (const worker of ["hello-world", "hono-json"] as const) {
        variants.push(
          await measureBaseline(worker, baselineKey, complaints, sizes, scratch, plan, context),
        );
      }
      const ours = await measureOurs(complaints, sizes, scratch, plan, runId, context);
      variants.push({
        name: "ours: signed POST /v1/tickets (edge → ingest → queue)",
        isBaseline: false,
        result: ours.result,
        cpuSeconds: ours.cpuSeconds,
      });
      return report(variants, sizes, ours, plan);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};

const BASELINE_NAMES: Record<BaselineWorker, string> = {
  "hello-world": 'baseline: hello-world Worker (answers "ok")',
  "hono-json": "baseline: bare Hono route (parses JSON, answers 202)",
};

async function measureBaseline(
  worker: BaselineWorker,
  key: MerchantKey,
  complaints: readonly DemoComplaint[],
  sizes: Sizes,
  scratch: string,
  plan: CpuPlan,
  context: ScenarioContext,
): Promise<Variant> {
  const config = await writeBaselineConfig(worker, join(scratch, "configs"));
  const running = await startWranglerDev({
    config,
    persistDir: join(scratch, `state-${worker}`),
    plan,
    cpu: context.serverCpu,
  });
  try {
    context.log(`${worker}: wrangler dev on ${running.url}`);
    // The same requests as ours, byte for byte in shape: the baselines ignore the signature.
    const requests = await buildRequestPool(
      complaints,
      () => key,
      poolSize(sizes),
      `base_${worker}`,
    );
    const groups = running.pid === undefined ? [] : [running.pid];
    const before = snapshotCpu(groups);
    const result = await runLoad(
      { url: running.url, ...loadShape(sizes), requests },
      scratch,
      worker,
      plan,
      context,
    );
    const cpuSeconds = byRole(cpuSpent(before, snapshotCpu(groups)));
    return {
      name: BASELINE_NAMES[worker],
      isBaseline: worker === "hello-world",
      result,
      cpuSeconds,
    };
  } finally {
    await running.stop();
  }
}

interface OursOutcome {
  result: LoadResult;
  cpuSeconds: Record<string, number>;
  clientIpHonoured: ClientIpProbe;
  stored: { expected: number; stored: number; waitedMs: number };
  embeddedDatabase: boolean;
}

async function measureOurs(
  complaints: readonly DemoComplaint[],
  sizes: Sizes,
  scratch: string,
  plan: CpuPlan,
  runId: string,
  context: ScenarioContext,
): Promise<OursOutcome> {
  // A database of this run's own: a DATABASE_URL server keeps other runs' tenants.
  const stack = await startScratchDevStack("bench_ingest", {
    port: 0,
    log: context.log,
  });
  try {
    // Server side on the server CPU: wrangler with its workerd, and this process, which
    // hosts the embedded Postgres and the Neon bridge the processor writes through.
    pinProcessGroup(plan, stack.wranglerPid, context.serverCpu);
    pinSelf(plan, context.serverCpu);
    const probe = await probeClientIpHeader(stack.url);
    context.log(
      `CF-Connecting-IP from the client ${probe.honoured ? "is" : "is NOT"} honoured: ${probe.detail}`,
    );

    const keys = new Map(stack.state.tenants.map((tenant) => [tenant.slug, tenant]));
    const keyFor = (complaint: DemoComplaint): MerchantKey => {
      const tenant = keys.get(complaint.tenantSlug);
      if (!tenant) throw new Error(`the dev stack has no tenant ${complaint.tenantSlug}`);
      return tenant;
    };
    const webhookPrefix = `ingest_${runId}`;
    // Signed last thing before the load, so every timestamp is well inside the 5-minute tolerance.
    const requests = await buildRequestPool(complaints, keyFor, poolSize(sizes), webhookPrefix);
    const groups = stack.wranglerPid === undefined ? [] : [stack.wranglerPid];
    const stackBefore = snapshotCpu(groups);
    const selfBefore = snapshotCpu([], [process.pid]);
    const result = await runLoad(
      { url: stack.url, ...loadShape(sizes), requests },
      scratch,
      "ours",
      plan,
      context,
    );
    const accepted = (result.warmupStatusCounts["202"] ?? 0) + (result.statusCounts["202"] ?? 0);
    const stored = await waitForStoredTickets(stack.databaseAdminUrl, webhookPrefix, accepted);
    const cpuSeconds = {
      ...byRole(cpuSpent(stackBefore, snapshotCpu(groups))),
      [stack.embeddedDatabase
        ? "benchmark process (PGlite, Neon bridge)"
        : "benchmark process (Neon bridge)"]: total(
        cpuSpent(selfBefore, snapshotCpu([], [process.pid])),
      ),
    };
    context.log(
      `processor stored ${stored.stored} of ${accepted} accepted tickets (${stored.waitedMs} ms after the load)`,
    );
    return {
      result,
      cpuSeconds,
      clientIpHonoured: probe,
      stored,
      embeddedDatabase: stack.embeddedDatabase,
    };
  } finally {
    releaseSelf(plan);
    await stack.stop();
  }
}

function loadShape(sizes: Sizes): Omit<LoadJob, "url" | "requests"> {
  return {
    connections: CONNECTIONS,
    warmupRequests: sizes.warmup,
    measuredRequests: sizes.measured,
    timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
    maxSeconds: 120,
  };
}

function poolSize(sizes: Sizes): number {
  return sizes.warmup + sizes.measured + 2 * CONNECTIONS;
}

/**
 * One distinct signed request per send: its own webhook id, its own merchant ticket id and
 * its own synthetic client address (198.18.0.0/15, in the header only; the traffic itself
 * only ever goes to 127.0.0.1). Ticket text comes from the demo complaints, so bodies have
 * real sizes (a few hundred bytes to a few KiB).
 */
async function buildRequestPool(
  complaints: readonly DemoComplaint[],
  keyFor: (complaint: DemoComplaint) => MerchantKey,
  count: number,
  webhookPrefix: string,
): Promise<PlainRequest[]> {
  const timestampSeconds = Math.floor(Date.now() / 1000);
  const pool: PlainRequest[] = [];
  for (let index = 0; index < count; index++) {
    const complaint = complaints[index % complaints.length];
    if (!complaint) throw new Error("the demo CSV has no complaints");
    const webhookId = `msg_${webhookPrefix}_${index}`;
    const payload = {
      ...complaint.ticket,
      externalId: `${complaint.ticket.externalId}-${webhookPrefix}-${index}`,
    };
    const signed = await buildSignedTicketRequest("http://127.0.0.1", keyFor(complaint), payload, {
      webhookId,
      timestampSeconds,
    });
    pool.push({
      method: "POST",
      path: "/v1/tickets",
      headers: {
        ...Object.fromEntries(signed.headers),
        "cf-connecting-ip": syntheticAddress(index),
      },
      body: await signed.text(),
    });
  }
  return pool;
}

/** The index-th address of 198.18.0.0/15, skipping the network address. */
export function syntheticAddress(index: number): string {
  if (index < 0 || index >= SYNTHETIC_ADDRESS_COUNT)
    throw new RangeError(`no synthetic address #${index}`);
  const value = index + 1;
  return `198.${18 + (value >> 16)}.${(value >> 8) & 255}.${value & 255}`;
}

interface ClientIpProbe {
  honoured: boolean;
  detail: string;
}

/**
 * Does the edge's rate limiter key on a CF-Connecting-IP the client sets? The login limit
 * is the cheapest to reach: more than 10 POSTs in a minute from address A must get the
 * edge's 429 (problem code rate_limited), and a POST from address B right after must not.
 * The form is empty, so the dashboard refuses it (401) before it looks anyone up or counts
 * a failed sign-in: its own per-email lock-out, which also answers 429, never comes into
 * play. The limiter's windows are aligned to the wall clock, so a burst straddling a
 * minute boundary proves nothing: then try once more.
 */
async function probeClientIpHeader(baseUrl: string): Promise<ClientIpProbe> {
  const post = async (address: string): Promise<string> => {
    const response = await fetch(`${baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: {
        origin: baseUrl,
        "content-type": "application/x-www-form-urlencoded",
        "cf-connecting-ip": address,
      },
      body: "",
    });
    const text = await response.text();
    const limitedByEdge = response.status === 429 && text.includes('"code":"rate_limited"');
    return limitedByEdge ? "429 rate_limited" : String(response.status);
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    const addressA = `198.19.255.${250 - 2 * attempt}`;
    const addressB = `198.19.255.${249 - 2 * attempt}`;
    const answers: string[] = [];
    for (let index = 0; index < LOGIN_LIMIT_PER_MINUTE + 2; index++)
      answers.push(await post(addressA));
    const limited = answers.filter((answer) => answer === "429 rate_limited").length;
    if (limited === 0) continue;
    const other = await post(addressB);
    return {
      honoured: other !== "429 rate_limited",
      detail:
        `${answers.length} login POSTs as ${addressA} got ${limited} edge 429s (rate_limited); ` +
        `one more as ${addressB} got ${other}`,
    };
  }
  return {
    honoured: false,
    detail: "the edge's login limit never answered 429, so the probe could not tell",
  };
}

async function waitForStoredTickets(
  adminUrl: string,
  webhookPrefix: string,
  expected: number,
): Promise<{ expected: number; stored: number; waitedMs: number }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const started = Date.now();
  try {
    let stored = 0;
    while (Date.now() - started < DRAIN_TIMEOUT_MS) {
      const { rows } = await client.query<{ count: string }>(
        "SELECT count(*) AS count FROM tickets WHERE webhook_id LIKE $1",
        [`msg_${webhookPrefix}_%`],
      );
      stored = Number(rows[0]?.count ?? 0);
      if (stored >= expected) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    return { expected, stored, waitedMs: Date.now() - started };
  } finally {
    await client.end();
  }
}

/** Runs bench/load/autocannon.ts in its own process on the load CPU and reads its result. */
async function runLoad(
  job: LoadJob,
  scratch: string,
  label: string,
  plan: CpuPlan,
  context: ScenarioContext,
): Promise<LoadResult> {
  const jobPath = join(scratch, `load-${label}.json`);
  await writeFile(jobPath, JSON.stringify(job));
  const [command, args] = pinnedCommand(plan, context.loadCpu, process.execPath, [
    join(PROJECT_ROOT, "bench/load/autocannon.ts"),
    jobPath,
  ]);
  const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const killer = setTimeout(() => child.kill("SIGKILL"), (job.maxSeconds + 30) * 1000);
  const code = await new Promise<number | null>((done) => child.on("close", done));
  clearTimeout(killer);
  const line = stdout.trim().split("\n").at(-1);
  if (code !== 0 || !line)
    throw new Error(`the load generator for ${label} failed (exit ${code}):\n${stderr}`);
  const result = JSON.parse(line) as LoadResult;
  context.log(
    `${label}: statuses ${JSON.stringify(result.statusCounts)}, ${result.errors} errors, ` +
      `${Math.round(requestsPerSecond(result))} req/s`,
  );
  return result;
}

/** At a closed-loop load with the server on one CPU, 1 / throughput is the server's time per request. */
function serverMsPerRequest(result: LoadResult, sizes: Sizes): number {
  const rates = windowRates(result.completedAtMs, sizes.window);
  return rates.length > 0 ? 1000 / summarize(rates).median : Number.NaN;
}

/** workerd runs the Workers; the rest of wrangler's process group is wrangler itself and its esbuild watcher. */
function byRole(spent: Record<string, number>): Record<string, number> {
  const roles: Record<string, number> = { workerd: 0, "wrangler (Node, esbuild)": 0 };
  for (const [name, seconds] of Object.entries(spent)) {
    const role = name === "workerd" ? "workerd" : "wrangler (Node, esbuild)";
    roles[role] = (roles[role] ?? 0) + seconds;
  }
  return roles;
}

function total(spent: Record<string, number>): number {
  return Object.values(spent).reduce((sum, seconds) => sum + seconds, 0);
}

/** Responses over the whole run, warm-up included. */
function servedBy(result: LoadResult): number {
  return (
    Object.values(result.warmupStatusCounts).reduce((sum, count) => sum + count, 0) +
    result.latenciesMs.length
  );
}

/** Server CPU per response over the whole run (warm-up included), in ms. */
function cpuMsPerRequest(variant: Variant): number {
  const served = servedBy(variant.result);
  return served > 0 ? (1000 * total(variant.cpuSeconds)) / served : Number.NaN;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function requestsPerSecond(result: LoadResult): number {
  const last = result.completedAtMs.at(-1) ?? 0;
  return last > 0 ? (1000 * result.completedAtMs.length) / last : 0;
}

/** Req/s over consecutive windows of `size` responses, timed from completion to completion. */
function windowRates(completedAtMs: readonly number[], size: number): number[] {
  const rates: number[] = [];
  for (let end = size - 1; end < completedAtMs.length; end += size) {
    const from = end - size < 0 ? 0 : (completedAtMs[end - size] ?? 0);
    const elapsed = (completedAtMs[end] ?? 0) - from;
    if (elapsed > 0) rates.push((1000 * size) / elapsed);
  }
  return rates;
}

function report(variants: Variant[], sizes: Sizes, ours: OursOutcome, plan: CpuPlan) {
  const latency: Measurement[] = [];
  const throughput: Measurement[] = [];
  for (const variant of variants) {
    const { result } = variant;
    const responses = result.latenciesMs.length;
    const ok = Object.entries(result.statusCounts)
      .filter(([status]) => status.startsWith("2"))
      .reduce((sum, [, count]) => sum + count, 0);
    const extra = {
      responses,
      "non-2xx": responses - ok,
      statuses: Object.entries(result.statusCounts)
        .map(([status, count]) => `${status}×${count}`)
        .join(" "),
      "errors/timeouts": `${result.errors}/${result.timeouts}`,
    };
    latency.push({
      variant: variant.name,
      unit: "ms",
      better: "lower",
      isBaseline: variant.isBaseline,
      summary: summarize(result.latenciesMs),
      extra,
    });
    throughput.push({
      variant: variant.name,
      unit: "req/s",
      better: "higher",
      isBaseline: variant.isBaseline,
      summary: summarize(windowRates(result.completedAtMs, sizes.window)),
      extra: {
        "over the whole run": Math.round(requestsPerSecond(result)),
        "1000 / median req/s (ms)": round1(serverMsPerRequest(result, sizes)),
        ...(canReadProcessCpu()
          ? {
              "server CPU per request (ms)": round1(cpuMsPerRequest(variant)),
              ...Object.fromEntries(
                Object.entries(variant.cpuSeconds).map(([role, seconds]) => [
                  `of which ${role}`,
                  round1((1000 * seconds) / Math.max(servedBy(result), 1)),
                ]),
              ),
            }
          : {}),
      },
    });
  }

  const oursResult = ours.result;
  const hono = variants.find((variant) => variant.name === BASELINE_NAMES["hono-json"]);
  const hello = variants.find((variant) => variant.name === BASELINE_NAMES["hello-world"]);
  // Server CPU per request, read from /proc, counts only our own processes, so other work on
  // the machine hardly moves it; 1000 / throughput is the fallback where /proc is missing.
  const useCpu = canReadProcessCpu();
  const costOf = (variant: Variant | undefined) =>
    variant === undefined
      ? Number.NaN
      : useCpu
        ? cpuMsPerRequest(variant)
        : serverMsPerRequest(variant.result, sizes);
  const oursVariant = variants.find(
    (variant) => !variant.isBaseline && variant.result === oursResult,
  );
  const oursMs = costOf(oursVariant);
  const honoMs = costOf(hono);
  const helloMs = costOf(hello);
  const extraMs = oursMs - honoMs;
  const breakdown = Object.entries(ours.cpuSeconds)
    .map(
      ([role, seconds]) =>
        `${role} ${round1((1000 * seconds) / Math.max(servedBy(ours.result), 1))} ms`,
    )
    .join(", ");
  const accepted = oursResult.statusCounts["202"] ?? 0;
  const acceptedShare = accepted / Math.max(oursResult.latenciesMs.length, 1);
  const notes = [
    acceptedShare >= REQUIRED_ACCEPTED_SHARE
      ? `Check passed: ${accepted} of ${oursResult.latenciesMs.length} signed requests (${(100 * acceptedShare).toFixed(1)}%) got 202.`
      : `Check FAILED: only ${accepted} of ${oursResult.latenciesMs.length} signed requests (${(100 * acceptedShare).toFixed(1)}%) got 202 ` +
        `(statuses ${JSON.stringify(oursResult.statusCounts)}), so our figures mix in refusals and are not comparable.`,
    `Method: autocannon in a separate process ${plan.canPin ? "pinned to the load CPU" : "(not pinned)"}, ${CONNECTIONS} connections, ` +
      `${sizes.warmup} warm-up responses discarded, then ${sizes.measured} measured, on the same connections. Latency is autocannon's ` +
      `per-request time (write of the request to the last byte of the response), collected one by one, not read back from its histogram. ` +
      `Throughput samples are req/s over consecutive windows of ${sizes.window} responses.`,
    (useCpu
      ? "Server CPU per request (utime + stime of every server process from /proc, over all responses including warm-up; for ours " +
        `until the processor had stored every accepted ticket): ours ${round1(oursMs)} ms (${breakdown}), `
      : `Server time per request (1000 / median req/s, the whole server side sharing one CPU): ours ${round1(oursMs)} ms, `) +
      `the Hono route ${round1(honoMs)} ms, hello-world ${round1(helloMs)} ms. Ours costs ${round1(extraMs)} ms more than the Hono ` +
      `route per ticket: ${extraMs <= EXTRA_SERVER_MS_GOAL ? "the goal" : "more than the goal"} of at most ${EXTRA_SERVER_MS_GOAL} ms` +
      `${extraMs <= EXTRA_SERVER_MS_GOAL ? " holds" : ""}. That figure holds everything the stack does per ticket while the load runs: ` +
      "the edge's rate-limit call and service binding, ingest's KV read, HMAC and Zod, the queue send, and the processor's share.",
    "All three variants get the same kind of request: POST /v1/tickets with the Standard Webhooks headers and a real complaint as the " +
      "body; only ours verifies the signature. Each runs under `wrangler dev` on 127.0.0.1 (the same wrangler and workerd), one at a " +
      "time, so each has the server CPU to itself.",
    "Ours is the full dev stack from startDevStack: edge (routing, rate limit, body cap) → ingest (KV key lookup, HMAC, Zod) → queue, " +
      "and the processor consumes the queue during the run and writes to " +
      `${ours.embeddedDatabase ? "the embedded PGlite, in the benchmark's own process, pinned to the server CPU as well" : "the Postgres at DATABASE_URL (not pinned)"}; ` +
      `its work competes with ingest's for the same CPU, which the baselines do not have to share. By the end it had stored ${ours.stored.stored} ` +
      `of the ${ours.stored.expected} accepted tickets (checked up to ${Math.round(ours.stored.waitedMs / 100) / 10} s after the load).`,
    ours.clientIpHonoured.honoured
      ? "The edge rate-limits webhooks at 600/min per CF-Connecting-IP. `wrangler dev` (Miniflare) keeps a CF-Connecting-IP header the " +
        `client sends (checked in this run: ${ours.clientIpHonoured.detail}), so each request carries a distinct synthetic address from ` +
        "198.18.0.0/15 in that header; the traffic itself only goes to 127.0.0.1. On Cloudflare's network the header is overwritten, " +
        "so this is only possible locally."
      : `CF-Connecting-IP set by the client was NOT honoured by wrangler dev in this run (${ours.clientIpHonoured.detail}); ` +
        "ours then hits the edge's 600/min webhook limit and its figures include 429 answers.",
    "Local figures: `wrangler dev` adds its own proxy hop and Miniflare's simulated queue, KV and rate limiter (a Durable Object with " +
      "SQLite per call) in place of Cloudflare's; ratios to the hello-world Worker measured the same way are the meaningful part.",
  ];
  const quietErrors = variants.filter(
    (variant) => variant.result.poolExhausted || variant.result.stoppedByTimeLimit,
  );
  for (const variant of quietErrors) {
    notes.push(
      `${variant.name}: ${variant.result.stoppedByTimeLimit ? "stopped by the time limit before all requests completed" : "ran out of distinct requests (some were sent twice)"}.`,
    );
  }
  return {
    groups: [
      { title: `Latency per request at ${CONNECTIONS} connections (ms)`, measurements: latency },
      {
        title: `Throughput at ${CONNECTIONS} connections (req/s per ${sizes.window} responses)`,
        measurements: throughput,
      },
    ],
    notes,
  };
}
