import { readFile } from "node:fs/promises";
import { Miniflare } from "miniflare";
import type { StartupJob, StartupResult, StartupTarget } from "./startup-job.ts";

/**
 * `node bench/load/miniflare-startup.ts <job.json>`: starts each bundle in a fresh
 * Miniflare (a fresh workerd process) again and again, timing how long until it is ready
 * and until its first response arrives, and prints a StartupResult as JSON on stdout.
 * No bindings are configured: the first request goes to a path every router answers
 * without touching one, so what is timed is loading, global scope and one request.
 */
const jobPath = process.argv[2];
if (!jobPath) throw new Error("usage: node bench/load/miniflare-startup.ts <job.json>");
const job = JSON.parse(await readFile(jobPath, "utf8")) as StartupJob;

const result: StartupResult = Object.fromEntries(
  job.targets.map((target) => [
    target.name,
    { readyMs: [], firstResponseMs: [], firstStatuses: [] },
  ]),
);

for (let round = 0; round < job.warmupRounds + job.rounds; round++) {
  for (const target of job.targets) {
    const timing = await withTimeout(startOnce(target), job.timeoutMs, target.name);
    if (round < job.warmupRounds) continue;
    const samples = result[target.name];
    if (!samples) continue;
    samples.readyMs.push(timing.readyMs);
    if (timing.firstResponseMs !== undefined) samples.firstResponseMs.push(timing.firstResponseMs);
    if (timing.status !== undefined) samples.firstStatuses.push(timing.status);
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);

async function startOnce(
  target: StartupTarget,
): Promise<{ readyMs: number; firstResponseMs?: number; status?: number }> {
  // Read before the clock starts: what is timed is workerd loading the code, not our disk.
  const source = await readFile(target.scriptPath, "utf8");
  const started = performance.now();
  const miniflare = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    enableDevRegistry: false,
    telemetry: { enabled: false },
    workers: [
      {
        config: {
          name: "bench-startup",
          compatibilityDate: target.compatibilityDate,
          compatibilityFlags: target.compatibilityFlags,
          manifest: {
            mainModule: "index.js",
            modules: { "index.js": { type: "esm", contents: source } },
          },
        },
      },
    ],
  });
  try {
    await miniflare.ready;
    const readyMs = performance.now() - started;
    if (target.firstRequestPath === undefined) return { readyMs };
    const response = await miniflare.dispatchFetch(`http://127.0.0.1${target.firstRequestPath}`);
    await response.arrayBuffer();
    return { readyMs, firstResponseMs: performance.now() - started, status: response.status };
  } finally {
    await miniflare.dispose();
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, name: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
