import { readFile } from "node:fs/promises";
import autocannon from "autocannon";
import type { LoadJob, LoadResult } from "./autocannon-job.ts";

/**
 * `node bench/load/autocannon.ts <job.json>`: runs one bounded autocannon load (the first
 * warmupRequests responses are discarded) and prints a LoadResult as JSON on stdout.
 * Latencies are autocannon's own per-request figures (hrtime from write to last byte),
 * collected one by one rather than read back from its histogram.
 */
const jobPath = process.argv[2];
if (!jobPath) throw new Error("usage: node bench/load/autocannon.ts <job.json>");
const job = JSON.parse(await readFile(jobPath, "utf8")) as LoadJob;
const total = job.warmupRequests + job.measuredRequests;
if (job.requests.length === 0) throw new Error("the job has no requests");

let nextRequest = 0;
let poolExhausted = false;
const responses: { status: number; latencyMs: number; at: number }[] = [];
let errors = 0;
let timeouts = 0;
let stoppedByTimeLimit = false;

await new Promise<void>((resolve, reject) => {
  const instance = autocannon(
    {
      url: job.url,
      connections: job.connections,
      amount: total,
      timeout: job.timeoutSeconds,
      requests: [
        {
          setupRequest: (request) => {
            if (nextRequest >= job.requests.length) poolExhausted = true;
            const planned = job.requests[nextRequest % job.requests.length];
            nextRequest++;
            return { ...request, ...planned };
          },
        },
      ],
    },
    (error) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
  );
  instance.on("response", (_client, status, _bytes, latencyMs) => {
    responses.push({ status, latencyMs, at: performance.now() });
  });
  instance.on("reqError", (error: unknown) => {
    errors++;
    if (error instanceof Error && error.message.includes("timed out")) timeouts++;
  });
  const limit = setTimeout(() => {
    stoppedByTimeLimit = true;
    instance.stop();
  }, job.maxSeconds * 1000);
  instance.on("done", () => clearTimeout(limit));
});

const countStatuses = (list: typeof responses) =>
  list.reduce<Record<string, number>>((counts, { status }) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});
const warmup = responses.slice(0, job.warmupRequests);
const measured = responses.slice(job.warmupRequests);
const measuredFrom = warmup.at(-1)?.at ?? measured[0]?.at ?? 0;
const result: LoadResult = {
  warmupStatusCounts: countStatuses(warmup),
  latenciesMs: measured.map((response) => response.latencyMs),
  completedAtMs: measured.map((response) => response.at - measuredFrom),
  statusCounts: countStatuses(measured),
  errors,
  timeouts,
  poolExhausted,
  stoppedByTimeLimit,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
