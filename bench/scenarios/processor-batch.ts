import { join } from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/dev-stack.ts";
import type { DatabaseFixture } from "../../test/support/database-fixture.ts";
import { startWorkerFixture } from "../fixtures/worker-fixture.ts";
import { planCpus } from "../lib/cpu.ts";
import { summarize } from "../lib/stats.ts";
import type { Measurement, MeasurementGroup, Scenario } from "../lib/types.ts";
import { runPinnedJson, startPinnedServer } from "../load/pinned-child.ts";
import type {
  ProcessorBatchConfig,
  ProcessorBatchResult,
  ProcessorVariantId,
} from "../load/processor-batch-protocol.ts";

const BATCH_SIZES = [1, 10, 100];
const BATCH_100_GOAL_MS = 200;
const DATABASE_SERVER = "bench/fixtures/database-server.ts";
const LOAD_CLIENT = "bench/load/processor-batch-client.ts";
const PROCESSOR_WORKER = join(PROJECT_ROOT, "bench/fixtures/processor-worker/index.js");

const HANDLER = "ours: processor queue handler (workerd)";
const OPEN_CONNECTION = "ours: processTickets, one open connection (workerd)";
const SINGLE_ROW = "baseline: pg, single-row INSERT per transaction";
const multiRow = (batchSize: number) => `pg, one ${batchSize}-row INSERT per batch`;

export const processorBatchScenario: Scenario = {
  name: "processor-batch",
  title:
    "Processor batch throughput (tickets per second into Postgres) at batch sizes 1, 10 and 100",
  goal:
    "Batching pays for the processor's extra work: at the queue's batch size of 100 it stores, analyses and announces " +
    "tickets at least as fast as a plain loop of single-row INSERTs into the same Postgres (which does none of that), " +
    `and a batch of 100 takes under ${BATCH_100_GOAL_MS} ms (median) from delivery to ack.`,
  async run(context) {
    const plan = planCpus();
    const config: Omit<ProcessorBatchConfig, "fixture" | "workerUrl"> = {
      batchSizes: BATCH_SIZES,
      ticketsPerSize: context.quick ? 300 : 2_000,
      rounds: context.quick ? 3 : 10,
    };
    const stops: (() => Promise<void>)[] = [];
    try {
      const database = await startPinnedServer<DatabaseFixture>(
        plan,
        context.serverCpu,
        DATABASE_SERVER,
        [],
        {
          readyTimeoutMs: 120_000,
        },
      );
      stops.push(database.stop);
      const fixture = database.ready;
      // The processor runs where the load runs: the database keeps the server CPU to itself.
      const worker = await startWorkerFixture(plan, context.loadCpu, {
        name: "bench-processor",
        entry: PROCESSOR_WORKER,
        compatibilityFrom: "workers/processor/wrangler.toml",
        vars: { DATABASE_URL: fixture.writerUrl, DATABASE_WS_PROXY: fixture.wsProxy },
        durableObjects: [{ binding: "TENANT_HUB", className: "TenantHub" }],
      });
      stops.push(worker.stop);
      context.log(
        `${fixture.embedded ? "embedded PGlite" : "Postgres from DATABASE_URL"}; processor worker on ${worker.url}; ` +
          `${config.ticketsPerSize} tickets per batch size and variant in ${config.rounds} rounds (plus one warm-up round)`,
      );
      const result = await runPinnedJson<ProcessorBatchResult>(
        plan,
        context.loadCpu,
        LOAD_CLIENT,
        [],
        {
          timeoutMs: context.quick ? 300_000 : 900_000,
          env: {
            ...process.env,
            BENCH_PROCESSOR_CONFIG: JSON.stringify({
              ...config,
              fixture,
              workerUrl: worker.url,
            } satisfies ProcessorBatchConfig),
          },
        },
      );

      const throughputGroups: MeasurementGroup[] = [];
      const latencyGroups: MeasurementGroup[] = [];
      for (const batchSize of BATCH_SIZES) {
        const bySize = result.bySize[String(batchSize)] ?? {};
        const series = (id: ProcessorVariantId) => {
          const entry = bySize[id];
          if (!entry) throw new Error(`no figures for ${id} at batch size ${batchSize}`);
          return entry;
        };
        const throughput: Measurement[] = [
          {
            variant: HANDLER,
            unit: "tickets/s",
            better: "higher",
            summary: summarize(series("handler").ticketsPerSecond),
          },
          {
            variant: OPEN_CONNECTION,
            unit: "tickets/s",
            better: "higher",
            summary: summarize(series("open-connection").ticketsPerSecond),
          },
          {
            variant: SINGLE_ROW,
            unit: "tickets/s",
            better: "higher",
            isBaseline: true,
            summary: summarize(series("pg-single-row").ticketsPerSecond),
          },
        ];
        // At a batch size of 1 a one-row INSERT per batch is the single-row baseline itself.
        const latencyBaseline: Measurement =
          batchSize === 1
            ? {
                variant: SINGLE_ROW,
                unit: "ms",
                better: "lower",
                isBaseline: true,
                summary: summarize(series("pg-single-row").batchMs),
              }
            : {
                variant: `baseline: ${multiRow(batchSize)}`,
                unit: "ms",
                better: "lower",
                isBaseline: true,
                summary: summarize(series("pg-multi-row").batchMs),
              };
        if (batchSize > 1) {
          throughput.push({
            variant: multiRow(batchSize),
            unit: "tickets/s",
            better: "higher",
            summary: summarize(series("pg-multi-row").ticketsPerSecond),
          });
        }
        throughputGroups.push({
          title: `Batch size ${batchSize}: tickets per second into Postgres`,
          measurements: throughput,
        });
        latencyGroups.push({
          title: `Batch size ${batchSize}: time per batch (ms)`,
          measurements: [
            {
              variant: HANDLER,
              unit: "ms",
              better: "lower",
              summary: summarize(series("handler").batchMs),
            },
            {
              variant: OPEN_CONNECTION,
              unit: "ms",
              better: "lower",
              summary: summarize(series("open-connection").batchMs),
            },
            latencyBaseline,
          ],
        });
        const handlerRate = summarize(series("handler").ticketsPerSecond).median;
        context.log(
          `batch size ${batchSize}: handler ${handlerRate.toFixed(0)} tickets/s, open connection ` +
            `${summarize(series("open-connection").ticketsPerSecond).median.toFixed(0)}, single-row pg ` +
            `${summarize(series("pg-single-row").ticketsPerSecond).median.toFixed(0)} (medians)`,
        );
      }

      return {
        groups: [...throughputGroups, ...latencyGroups],
        notes: buildNotes(throughputGroups, latencyGroups, result, fixture.embedded, config),
      };
    } finally {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    }
  },
};

function buildNotes(
  throughputGroups: MeasurementGroup[],
  latencyGroups: MeasurementGroup[],
  result: ProcessorBatchResult,
  embedded: boolean,
  config: Omit<ProcessorBatchConfig, "fixture" | "workerUrl">,
): string[] {
  const at100 = (groups: MeasurementGroup[], variant: string) =>
    groups[groups.length - 1]?.measurements.find((m) => m.variant === variant)?.summary.median;
  const handlerRate = at100(throughputGroups, HANDLER);
  const baselineRate = at100(throughputGroups, SINGLE_ROW);
  const handlerMs = at100(latencyGroups, HANDLER);
  const ratio = handlerRate !== undefined && baselineRate ? handlerRate / baselineRate : undefined;
  const verdict =
    ratio === undefined || handlerMs === undefined
      ? "No verdict: the batch size of 100 has no figure for ours or the baseline."
      : `At a batch size of 100 the queue handler stores tickets at ${ratio.toFixed(2)}× the rate of single-row INSERTs ` +
        `and takes ${handlerMs.toFixed(0)} ms per batch (median): ` +
        (ratio >= 1 && handlerMs <= BATCH_100_GOAL_MS
          ? "this meets the goal."
          : `short of the goal (≥ 1× and ≤ ${BATCH_100_GOAL_MS} ms).`);
  const rows = result.rowsWritten;
  return [
    verdict,
    `Database: ${embedded ? "embedded PGlite (no DATABASE_URL was set), served on loopback in a process pinned to the server CPU" : "the machine's Postgres (DATABASE_URL), in a fresh database created and dropped by the run; the Postgres server itself is not pinned"}. ` +
      "Production adds a network hop to Neon for every round trip, which weighs most at small batches; these figures are loopback.",
    "What is measured, ours: the processor's own code, unchanged, in workerd (Miniflare) through a bench-only worker " +
      '(bench/fixtures/processor-worker) pinned to the load CPU. "Queue handler" hands each batch, as a MessageBatch, to the ' +
      "processor's queue() handler (workers/processor/src/index.ts): validate each message, open a connection (the Neon serverless " +
      "driver over a WebSocket to the loopback Neon bridge, as the workers do locally), processTickets with the Postgres repository, " +
      "the lexicon analyzer and the real TenantHub publisher (a TenantHub with no sockets, so each event is one Durable Object RPC " +
      "that sends nothing; with agents listening, each event is sent to every socket before the batch moves on, see the " +
      "broadcast scenario), ack, close. It is timed by the load process from the POST that carries the batch to the answer, so it " +
      "includes one loopback HTTP request and the JSON parse of the batch, where production has the queue's delivery instead. " +
      '"One open connection" runs a round\'s batches through the same steps on one connection, timed inside workerd, which ' +
      "separates the connection's set-up (a WebSocket, the Postgres start-up and password exchange) from the batch's queries.",
    "Per batch ours runs two tenant-scoped transactions (tickets, then sentiments; each first sets its role and tenant) with a " +
      "select of the batch's rows in the first, as the ticket_writer role under row-level security, writes two rows per ticket " +
      "and publishes two events per ticket. The pg baselines (in the load process, on the load CPU) connect once, directly over " +
      "TCP (no bridge), as the owner, and write one row per ticket into bench_tickets, a table created by the run with the columns, " +
      "defaults and indexes of tickets but no foreign key and no row-level security.",
    "Ours sends 11 statements per batch (BEGIN, SET LOCAL ROLE, set_config, INSERT … RETURNING, SELECT, COMMIT, then BEGIN, " +
      "SET LOCAL ROLE, set_config, INSERT, COMMIT), each a round trip, after opening its connection; the single-row loop sends " +
      "one per ticket. On loopback a round trip costs well under a millisecond, so these figures understate what batching saves " +
      "against Neon, where every round trip crosses the network.",
    "In the time-per-batch groups the baseline is the least it takes to put the batch's rows into Postgres: one INSERT " +
      "statement carrying all of them (a single row at batch size 1).",
    "The processor code runs in workerd rather than in Node on purpose: in Node the Neon driver coalesces writes with " +
      "setTimeout(0), which Node clamps to 1 ms, so every statement would pay about a millisecond that workerd does not.",
    `Each variant stores ${config.ticketsPerSize.toLocaleString("en-US")} tickets per batch size in ${config.rounds} rounds after one ` +
      "warm-up round; the variants take turns round by round. Throughput is one sample per round (its tickets over its wall " +
      `time); bodies are real CFPB complaint narratives (${result.averageBodyChars.toLocaleString("en-US")} characters on average).`,
    rows.tickets === rows.expected && rows.sentiments === rows.expected
      ? `Checked after the run: ours wrote all ${rows.expected.toLocaleString("en-US")} measured tickets and their sentiments.`
      : `Check failed: ours should have written ${rows.expected} measured tickets and sentiments, found ${rows.tickets} tickets and ${rows.sentiments} sentiments.`,
  ];
}
