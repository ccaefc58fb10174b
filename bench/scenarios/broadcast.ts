import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadDemoComplaints } from "../../scripts/lib/complaint-to-ticket.ts";
import { DEMO_CSV, PROJECT_ROOT } from "../../scripts/lib/dev-stack.ts";
import { createUuidV7 } from "../../shared/ids.ts";
import type { TicketEvent } from "../../shared/realtime/events.ts";
import { startWorkerFixture } from "../fixtures/worker-fixture.ts";
import type { CpuPlan } from "../lib/cpu.ts";
import { planCpus } from "../lib/cpu.ts";
import { summarize } from "../lib/stats.ts";
import type { Measurement, MeasurementGroup, Scenario } from "../lib/types.ts";
import type { BroadcastLoadConfig, BroadcastLoadResult } from "../load/broadcast-protocol.ts";
import { MARKER_PLACEHOLDER } from "../load/broadcast-protocol.ts";
import type { PinnedServer } from "../load/pinned-child.ts";
import { runPinnedJson, startPinnedServer } from "../load/pinned-child.ts";

const SOCKET_COUNTS = [100, 500, 1_000] as const;
const CONNECT_CONCURRENCY = 50;
const BROADCAST_TIMEOUT_MS = 5_000;
const PAUSE_BETWEEN_BROADCASTS_MS = 20;
const READY_TIMEOUT_MS = 60_000;
/** Each process holds one descriptor per socket, plus Node's and workerd's own. */
const SPARE_FILE_DESCRIPTORS = 256;

const HUB_WORKER = join(PROJECT_ROOT, "bench/fixtures/tenant-hub-worker/index.js");
const NODE_SERVER = "bench/fixtures/node-broadcast-server.ts";
const LOAD_CLIENTS = "bench/load/broadcast-clients.ts";

const OURS = "ours: TenantHub Durable Object (workerd)";
const WS_BASELINE = "baseline: Node ws server";
const SOCKET_IO = "Socket.IO server (original design)";

interface Variant {
  name: string;
  kind: BroadcastLoadConfig["kind"];
  urls(sockets: number): { connectUrl: string; publishUrl: string };
}

export const broadcastScenario: Scenario = {
  name: "broadcast",
  title: "TenantHub broadcast at 100, 500 and 1,000 sockets against the Node baselines",
  goal:
    "One tenant's event reaches all of its agents' sockets about as fast as a plain Node WebSocket " +
    "server broadcasts it (within 2× of ws at 1,000 sockets), and no slower than the original design's " +
    "Socket.IO, up to the hub's cap of 1,000 sockets per tenant.",
  async run(context) {
    const plan = planCpus();
    assertEnoughFileDescriptors(Math.max(...SOCKET_COUNTS));
    const warmup = context.quick ? 2 : 5;
    const broadcasts = context.quick ? 10 : 50;
    const eventTemplate = await buildEventTemplate();
    const runId = Date.now().toString(36);

    const stops: (() => Promise<void>)[] = [];
    try {
      const hub = await startWorkerFixture(plan, context.serverCpu, {
        name: "bench-tenant-hub",
        entry: HUB_WORKER,
        compatibilityFrom: "workers/dashboard/wrangler.toml",
        durableObjects: [{ binding: "TENANT_HUB", className: "TenantHub" }],
      });
      stops.push(hub.stop);
      const wsServer = await startNodeServer(plan, context.serverCpu, "ws");
      stops.push(wsServer.stop);
      const socketIoServer = await startNodeServer(plan, context.serverCpu, "socketio");
      stops.push(socketIoServer.stop);
      context.log(
        `TenantHub worker on ${hub.url}, ws on :${wsServer.ready.port}, Socket.IO on :${socketIoServer.ready.port}; ` +
          `${warmup} warm-up and ${broadcasts} measured broadcasts per variant and socket count`,
      );

      const variants: Variant[] = [
        {
          name: WS_BASELINE,
          kind: "ws",
          urls: () => ({
            connectUrl: `ws://127.0.0.1:${wsServer.ready.port}/live`,
            publishUrl: `http://127.0.0.1:${wsServer.ready.port}/publish`,
          }),
        },
        {
          name: OURS,
          kind: "ws",
          // A fresh hub per socket count: the previous count's closing sockets cannot
          // count against the 1,000-socket cap.
          urls: (sockets) => {
            const name = `bench-${runId}-${sockets}`;
            return {
              connectUrl: `${hub.url.replace(/^http/, "ws")}/live?hub=${name}`,
              publishUrl: `${hub.url}/publish?hub=${name}`,
            };
          },
        },
        {
          name: SOCKET_IO,
          kind: "socketio",
          urls: () => ({
            connectUrl: `http://127.0.0.1:${socketIoServer.ready.port}`,
            publishUrl: `http://127.0.0.1:${socketIoServer.ready.port}/publish`,
          }),
        },
      ];

      const fanOutGroups: MeasurementGroup[] = [];
      const connectGroups: MeasurementGroup[] = [];
      const shortfalls: string[] = [];
      let messageBytes = 0;
      for (const sockets of SOCKET_COUNTS) {
        const fanOut: Measurement[] = [];
        const connect: Measurement[] = [];
        for (const variant of variants) {
          const config: BroadcastLoadConfig = {
            kind: variant.kind,
            ...variant.urls(sockets),
            sockets,
            connectConcurrency: CONNECT_CONCURRENCY,
            warmup,
            broadcasts,
            eventTemplate,
            broadcastTimeoutMs: BROADCAST_TIMEOUT_MS,
            pauseMs: PAUSE_BETWEEN_BROADCASTS_MS,
          };
          const result = await runPinnedJson<BroadcastLoadResult>(
            plan,
            context.loadCpu,
            LOAD_CLIENTS,
            [JSON.stringify(config)],
            {
              timeoutMs:
                60_000 +
                (warmup + broadcasts) * (BROADCAST_TIMEOUT_MS + PAUSE_BETWEEN_BROADCASTS_MS),
            },
          );
          messageBytes = result.messageBytes;
          if (result.incomplete > 0 || result.deliveredMin !== sockets) {
            shortfalls.push(
              `${variant.name} at ${sockets} sockets: ${result.incomplete} of ${broadcasts} broadcasts did not reach ` +
                `every socket within ${BROADCAST_TIMEOUT_MS / 1000} s; the server reported ${result.deliveredMin}–${result.deliveredMax} deliveries.`,
            );
          }
          if (result.lastMs.length === 0) {
            throw new Error(
              `${variant.name} at ${sockets} sockets: no broadcast reached every socket`,
            );
          }
          const isBaseline = variant.name === WS_BASELINE;
          const median = summarize(result.medianMs);
          fanOut.push({
            variant: variant.name,
            unit: "ms",
            better: "lower",
            summary: summarize(result.lastMs),
            isBaseline,
            extra: {
              "median socket, median ms": median.median,
              "median socket, p95 ms": median.p95,
              "publish answered, median ms": summarize(result.publishResponseMs).median,
            },
          });
          connect.push({
            variant: variant.name,
            unit: "ms",
            better: "lower",
            summary: summarize(result.connectMs),
            isBaseline,
            extra: { [`all ${sockets} open, ms`]: result.connectAllMs },
          });
          context.log(
            `${sockets} sockets, ${variant.name}: last socket ${summarize(result.lastMs).median.toFixed(2)} ms, ` +
              `median socket ${median.median.toFixed(2)} ms (medians); all open in ${result.connectAllMs.toFixed(0)} ms`,
          );
        }
        fanOutGroups.push({
          title: `Fan-out to ${sockets.toLocaleString("en-US")} sockets: publish → last socket receives (ms)`,
          measurements: fanOut,
        });
        connectGroups.push({
          title: `Connection set-up, ${sockets.toLocaleString("en-US")} sockets (${CONNECT_CONCURRENCY} handshakes in flight), per socket (ms)`,
          measurements: connect,
        });
      }

      return {
        groups: [...fanOutGroups, ...connectGroups],
        notes: buildNotes(fanOutGroups, messageBytes, broadcasts, shortfalls),
      };
    } finally {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    }
  },
};

function buildNotes(
  fanOutGroups: MeasurementGroup[],
  messageBytes: number,
  broadcasts: number,
  shortfalls: string[],
): string[] {
  const ratioAt = (group: MeasurementGroup | undefined, variant: string): number | undefined => {
    const ours = group?.measurements.find((m) => m.variant === variant)?.summary.median;
    const baseline = group?.measurements.find((m) => m.isBaseline)?.summary.median;
    return ours !== undefined && baseline ? ours / baseline : undefined;
  };
  const largest = fanOutGroups[fanOutGroups.length - 1];
  const oursRatio = ratioAt(largest, OURS);
  const socketIoRatio = ratioAt(largest, SOCKET_IO);
  const verdict =
    oursRatio === undefined
      ? "No verdict: the largest socket count has no figure for ours or the baseline."
      : oursRatio <= 2 && (socketIoRatio === undefined || oursRatio <= socketIoRatio)
        ? `At 1,000 sockets the hub completes a broadcast in ${oursRatio.toFixed(2)}× the ws server's time, which meets the goal.`
        : `At 1,000 sockets the hub needs ${oursRatio.toFixed(2)}× the ws server's time to complete a broadcast` +
          `${socketIoRatio === undefined ? "" : ` (Socket.IO: ${socketIoRatio.toFixed(2)}×)`}, short of the goal.`;
  return [
    verdict,
    "What is measured: a separate load process (pinned to the load CPU) holds N client sockets, POSTs one event to the " +
      "server's publish endpoint and times, on its own clock, from just before the POST until the last of the N sockets " +
      `(and the median socket) has received it; ${broadcasts} broadcasts per variant after a warm-up, one at a time.`,
    "Ours is the product's TenantHub class, unchanged, hosted by a bench-only worker (bench/fixtures/tenant-hub-worker, " +
      "bundled by wrangler with the dashboard's compatibility date) in workerd through Miniflare, on the worker's own socket " +
      "(not behind `wrangler dev`'s proxy worker, which would add a second workerd process to every frame). POST /publish " +
      "calls the hub's publish() over Durable Object RPC as the processor does, so the figure is publish → last delivery. " +
      "It is not the dev stack's path: no edge, no session check at connect, and no ingest, queue or Postgres before the " +
      "publish (the end-to-end scenario covers that path).",
    "The baselines get the same trigger: an HTTP POST whose body is sent unchanged to every client (ws: one text frame per " +
      "socket; Socket.IO: io.emit, which frames it as a Socket.IO event). The hub parses the event and serialises it again, as in production.",
    `Every variant sends the same ticket.created event built from a demo complaint, ${messageBytes} bytes of JSON, without ` +
      "compression. Socket.IO clients use the WebSocket transport from the start (no long-polling leg).",
    "The servers are pinned to the server CPU (Miniflare and its workerd together); all N clients share one Node process on the " +
      "load CPU, so the last socket's time includes that process handling the N−1 sockets before it, equally for every variant. " +
      "In production the clients are N browsers and the hub runs in a Cloudflare location, not on this machine.",
    "Connection set-up is per socket, from starting the handshake to the open event, with 50 handshakes in flight; for ours it " +
      "covers the worker's fetch, the Durable Object's fetch and acceptWebSocket, not the dashboard's cookie check.",
    ...shortfalls,
  ];
}

/** A realistic ticket.created event, with a fixed-width marker in place of the external id. */
async function buildEventTemplate(): Promise<string> {
  const [complaint] = loadDemoComplaints(await readFile(DEMO_CSV, "utf8"));
  if (!complaint) throw new Error(`${DEMO_CSV} holds no complaint`);
  const event: TicketEvent = {
    type: "ticket.created",
    ticket: {
      id: createUuidV7(),
      externalId: MARKER_PLACEHOLDER,
      subject: complaint.ticket.subject,
      category: complaint.ticket.category ?? null,
      customerName: complaint.ticket.customer.name,
      receivedAt: new Date().toISOString(),
      sentiment: null,
    },
  };
  return JSON.stringify(event);
}

function startNodeServer(
  plan: CpuPlan,
  cpu: number,
  kind: "ws" | "socketio",
): Promise<PinnedServer<{ port: number }>> {
  return startPinnedServer<{ port: number }>(plan, cpu, NODE_SERVER, [kind], {
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
}

function assertEnoughFileDescriptors(sockets: number): void {
  const limit = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
  if (limit !== "unlimited" && Number(limit) < sockets + SPARE_FILE_DESCRIPTORS) {
    throw new Error(
      `the open-file limit is ${limit}; ${sockets} sockets need at least ${sockets + SPARE_FILE_DESCRIPTORS} ` +
        `per process (raise it with ulimit -n)`,
    );
  }
}
