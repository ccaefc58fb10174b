import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parse } from "smol-toml";
import {
  PROJECT_ROOT,
  WORKER_CONFIGS,
  WRANGLER,
  wranglerEnv,
} from "../../scripts/lib/dev-stack.ts";
import { stopProcessGroup } from "../../scripts/lib/processes.ts";
import { writeBaselineConfig } from "../fixtures/baseline-workers.ts";
import type { CpuPlan } from "../lib/cpu.ts";
import { pinnedCommand, planCpus } from "../lib/cpu.ts";
import { summarize } from "../lib/stats.ts";
import type { Measurement, Scenario, ScenarioContext } from "../lib/types.ts";
import type { StartupJob, StartupResult, StartupTarget } from "../load/startup-job.ts";

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * Worker size limit as Cloudflare enforces it now: 64 MiB uncompressed on every plan.
 * Source: Cloudflare's Workers limits page (developers.cloudflare.com/workers/platform/limits/,
 * "Worker size"), changelog of 2026-09-04 (cloudflare-docs PR #33241); wrangler 4.164 checks
 * the same figure (MAX_UNCOMPRESSED_SIZE_BYTES in its bundle reporter, workers-sdk PR #14001).
 */
export const WORKER_SIZE_LIMIT_BYTES = 64 * MIB;
/**
 * The compressed (gzip) limits that applied until 2026-09-04 and that much advice still
 * quotes: 3 MB on Workers Free, 10 MB on Workers Paid. Source: the same limits page before
 * that change (cloudflare-docs PR #18400 raised Free from 1 MB to 3 MB); wrangler compared
 * gzip size against them in binary megabytes, as we do.
 */
export const FORMER_GZIP_LIMIT_FREE_BYTES = 3 * MIB;
export const FORMER_GZIP_LIMIT_PAID_BYTES = 10 * MIB;
/**
 * "Worker startup time: 1 second" on every plan: parsing the script and running its global
 * scope must finish within it. Source: Cloudflare's Workers limits page, and the changelog
 * of 2025-10-10 ("Worker startup time limit increased to 1 second", previously 400 ms).
 */
export const STARTUP_LIMIT_MS = 1_000;

/** The product's Workers, in request order. */
const WORKERS = WORKER_CONFIGS.map(({ name, config }) => ({
  name,
  config,
  // The processor only consumes the queue; nothing can fetch it.
  hasFetch: name !== "processor",
}));
const HELLO = "baseline: hello-world Worker";
const HELLO_READY = "baseline: hello-world Worker (until ready)";
/** Every router here answers 404 to this path before touching a binding. */
const PROBE_PATH = "/__bench/startup-probe";

interface Bundle {
  name: string;
  dir: string;
  mainModule: string;
  rawBytes: number;
  gzipBytes: number;
  /** What `wrangler deploy` printed as "Total Upload", as a cross-check. */
  wranglerReport: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
}

export const bundleScenario: Scenario = {
  name: "bundle",
  title: "Bundle size and start-up of each worker against the platform limits",
  goal:
    "Every Worker stays far inside the platform's limits: its deployed bundle a small fraction of the size " +
    "limit (64 MiB uncompressed today; 3 MB gzip on Free and 10 MB on Paid until September 2026), and a fresh " +
    "instance loads and serves its first request well inside the 1-second start-up limit.",
  async run(context) {
    const plan = planCpus();
    const rounds = context.quick ? 3 : 10;
    const scratch = await mkdtemp(join(tmpdir(), "bench-bundle-"));
    try {
      const bundles: Bundle[] = [];
      for (const worker of WORKERS) {
        bundles.push(await buildBundle(worker.name, join(PROJECT_ROOT, worker.config), scratch));
      }
      const hello = await buildBundle(
        HELLO,
        await writeBaselineConfig("hello-world", join(scratch, "configs")),
        scratch,
      );
      for (const bundle of [...bundles, hello]) {
        context.log(
          `${bundle.name}: ${kib(bundle.rawBytes)} KiB, gzip ${kib(bundle.gzipBytes)} KiB (wrangler: ${bundle.wranglerReport})`,
        );
      }

      const targets: StartupTarget[] = [...bundles, hello].map((bundle) => ({
        name: bundle.name,
        scriptPath: join(bundle.dir, bundle.mainModule),
        compatibilityDate: bundle.compatibilityDate,
        compatibilityFlags: bundle.compatibilityFlags,
        ...(WORKERS.find((worker) => worker.name === bundle.name)?.hasFetch === false
          ? {}
          : { firstRequestPath: PROBE_PATH }),
      }));
      context.log(
        `start-up: 1 warm-up round, then ${rounds} rounds of ${targets.length} fresh Miniflare instances`,
      );
      const startup = await measureStartup(
        { targets, warmupRounds: 1, rounds, timeoutMs: 30_000 },
        scratch,
        plan,
        context,
      );
      return report(bundles, hello, startup, plan, rounds);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};

/** `wrangler deploy --dry-run --outdir`: bundles exactly as a deploy would, uploads nothing. */
async function buildBundle(name: string, config: string, scratch: string): Promise<Bundle> {
  const dir = join(scratch, "out", name.replace(/[^a-z0-9-]+/gi, "-"));
  await mkdir(dir, { recursive: true });
  const output = await runWrangler(["deploy", "--dry-run", "--outdir", dir, "-c", config]);
  // Source maps are not uploaded unless upload_source_maps is set; none of our configs sets it.
  const modules = (await readdir(dir))
    .filter((file) => file !== "README.md" && !file.endsWith(".map"))
    .sort();
  const contents = await Promise.all(modules.map((file) => readFile(join(dir, file))));
  // As wrangler measures: the modules one after another, gzip at its default level.
  const all = Buffer.concat(contents);
  const parsed = parse(await readFile(config, "utf8"));
  const mainModule = modules.find((file) => file === "index.js") ?? modules[0];
  if (!mainModule) throw new Error(`wrangler wrote no module for ${name}`);
  return {
    name,
    dir,
    mainModule,
    rawBytes: all.byteLength,
    gzipBytes: gzipSync(all).byteLength,
    wranglerReport: /Total Upload: (.*)/.exec(output)?.[1]?.trim() ?? "not printed",
    compatibilityDate:
      typeof parsed.compatibility_date === "string" ? parsed.compatibility_date : "2026-11-01",
    compatibilityFlags: Array.isArray(parsed.compatibility_flags)
      ? parsed.compatibility_flags.filter((flag): flag is string => typeof flag === "string")
      : [],
  };
}

async function runWrangler(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: PROJECT_ROOT,
    env: wranglerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const code = await new Promise<number | null>((done) => child.on("close", done));
  clearTimeout(killer);
  if (code !== 0) throw new Error(`wrangler ${args.join(" ")} failed (exit ${code}):\n${output}`);
  return output;
}

/** Runs bench/load/miniflare-startup.ts in its own process group on the server CPU. */
async function measureStartup(
  job: StartupJob,
  scratch: string,
  plan: CpuPlan,
  context: ScenarioContext,
): Promise<StartupResult> {
  const jobPath = join(scratch, "startup-job.json");
  await writeFile(jobPath, JSON.stringify(job));
  const [command, args] = pinnedCommand(plan, context.serverCpu, process.execPath, [
    join(PROJECT_ROOT, "bench/load/miniflare-startup.ts"),
    jobPath,
  ]);
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const closed = new Promise<number | null>((done) => child.on("close", done));
  // Generous (a start takes about a second) yet bounded.
  const limitMs = (job.warmupRounds + job.rounds) * job.targets.length * 5_000 + 60_000;
  const killer = setTimeout(() => void stopProcessGroup(child), limitMs);
  try {
    const code = await closed;
    const line = stdout.trim().split("\n").at(-1);
    if (code !== 0 || !line)
      throw new Error(`the start-up timer failed (exit ${code}):\n${stderr}`);
    return JSON.parse(line) as StartupResult;
  } finally {
    clearTimeout(killer);
    // Also reaps a workerd the timer may have left behind on failure.
    await stopProcessGroup(child);
  }
}

function report(
  bundles: Bundle[],
  hello: Bundle,
  startup: StartupResult,
  plan: CpuPlan,
  rounds: number,
) {
  const sizeMeasurement = (
    bundle: Bundle,
    isBaseline: boolean,
    bytes: number,
    extra: Record<string, string | number>,
  ): Measurement => ({
    variant: isBaseline ? bundle.name : `ours: ${bundle.name}`,
    unit: "KiB",
    better: "lower",
    isBaseline,
    summary: summarize([bytes / KIB]),
    extra,
  });
  const gzipGroup = [...bundles, hello].map((bundle) =>
    sizeMeasurement(bundle, bundle === hello, bundle.gzipBytes, {
      "share of the former Free limit (3 MiB gzip)": percent(
        bundle.gzipBytes / FORMER_GZIP_LIMIT_FREE_BYTES,
      ),
      "share of the former Paid limit (10 MiB gzip)": percent(
        bundle.gzipBytes / FORMER_GZIP_LIMIT_PAID_BYTES,
      ),
      "wrangler's report": bundle.wranglerReport,
    }),
  );
  const rawGroup = [...bundles, hello].map((bundle) =>
    sizeMeasurement(bundle, bundle === hello, bundle.rawBytes, {
      "share of the 64 MiB limit": percent(bundle.rawBytes / WORKER_SIZE_LIMIT_BYTES),
    }),
  );

  const helloSamples = startup[HELLO];
  if (!helloSamples) throw new Error("no start-up samples for the hello-world baseline");
  const helloFirst = summarize(helloSamples.firstResponseMs);
  const helloReady = summarize(helloSamples.readyMs);
  const startupGroup: Measurement[] = [
    {
      variant: HELLO,
      unit: "ms",
      better: "lower",
      isBaseline: true,
      summary: helloFirst,
      extra: { "until ready (median)": round1(helloReady.median) },
    },
    { variant: HELLO_READY, unit: "ms", better: "lower", isBaseline: true, summary: helloReady },
  ];
  const statusNotes: string[] = [];
  for (const worker of WORKERS) {
    const samples = startup[worker.name];
    if (!samples) throw new Error(`no start-up samples for ${worker.name}`);
    const series = worker.hasFetch ? samples.firstResponseMs : samples.readyMs;
    const summary = summarize(series);
    const baseline = worker.hasFetch ? helloFirst : helloReady;
    startupGroup.push({
      variant: worker.hasFetch
        ? `ours: ${worker.name} (first response)`
        : `ours: ${worker.name} (until ready; no fetch handler)`,
      unit: "ms",
      better: "lower",
      ...(worker.hasFetch ? {} : { comparedWith: HELLO_READY }),
      summary,
      extra: {
        "share of the 1 s limit (median)": percent(summary.median / STARTUP_LIMIT_MS),
        "over hello-world (median, ms)": round1(summary.median - baseline.median),
        ...(worker.hasFetch
          ? { "until ready (median)": round1(summarize(samples.readyMs).median) }
          : {}),
      },
    });
    const unexpected = samples.firstStatuses.filter((status) => status !== 404);
    if (unexpected.length > 0) {
      statusNotes.push(
        `${worker.name} answered the start-up probe with ${[...new Set(unexpected)].join(", ")} instead of 404.`,
      );
    }
  }

  const largest = [...bundles].sort((a, b) => b.rawBytes - a.rawBytes)[0];
  const slowest = startupGroup
    .filter((measurement) => measurement.variant.startsWith("ours:"))
    .sort((a, b) => b.summary.median - a.summary.median)[0];
  return {
    groups: [
      { title: "Bundle size, gzip (KiB)", measurements: gzipGroup },
      {
        title: "Bundle size, uncompressed (KiB; the size Cloudflare limits today)",
        measurements: rawGroup,
      },
      { title: "Start-up in a fresh Miniflare (ms)", measurements: startupGroup },
    ],
    notes: [
      `Size: each Worker bundled by \`wrangler deploy --dry-run --outdir\` with its own wrangler config, the way a deploy bundles it ` +
        `(wrangler does not minify by default and none of our configs asks it to). Bytes are every module it wrote, source maps ` +
        `excluded (not uploaded unless upload_source_maps is set), gzip at Node's default level over the concatenated modules, as ` +
        `wrangler itself measures. Largest: ${largest ? `${largest.name}, ${kib(largest.rawBytes)} KiB (${percent(largest.rawBytes / WORKER_SIZE_LIMIT_BYTES)} of the 64 MiB limit)` : "–"}.`,
      "Limits: Cloudflare replaced the compressed size limits (3 MB Free, 10 MB Paid, gzip) with one 64 MiB uncompressed limit on " +
        "every plan in September 2026 (Workers limits page and changelog; wrangler 4.164 reports against 64 MiB). Both are given: " +
        "the current one in the uncompressed group, the former ones beside the gzip figures.",
      `Start-up: each bundle loaded into a fresh Miniflare (so a fresh workerd process) with no bindings, timed from \`new Miniflare()\` ` +
        `to the first response's last byte for a GET ${PROBE_PATH}, which every router answers 404 before touching a binding; for the ` +
        `processor, which has no fetch handler, until Miniflare reports ready. One warm-up round, then ${rounds} rounds, each starting ` +
        `every bundle once in turn, in a separate process ${plan.canPin ? "pinned to the server CPU" : "(not pinned)"}.`,
      "What the 1-second limit bounds is only parsing and the global scope; our figure also holds the spawn of workerd, Miniflare's own " +
        "set-up and one request, so it overstates start-up. The hello-world bundle measured the same way shows how much of it is " +
        "fixed cost: the difference to it (in `extra`) is the part our code is responsible for." +
        (slowest
          ? ` Slowest of ours: ${slowest.variant}, median ${round1(slowest.summary.median)} ms.`
          : ""),
      ...statusNotes,
    ],
  };
}

function kib(bytes: number): string {
  return (bytes / KIB).toFixed(1);
}

function percent(share: number): string {
  return `${(100 * share).toFixed(share < 0.01 ? 2 : 1)}%`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
