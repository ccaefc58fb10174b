import { io } from "socket.io-client";
import type { Socket as SocketIoSocket } from "socket.io-client";
import { WebSocket } from "ws";
import type { BroadcastLoadConfig, BroadcastLoadResult } from "./broadcast-protocol.ts";
import { MARKER_PLACEHOLDER } from "./broadcast-protocol.ts";

/**
 * The broadcast benchmark's load generator, run pinned to the load CPU:
 *
 *   node bench/load/broadcast-clients.ts '<BroadcastLoadConfig as JSON>'
 *
 * Opens `sockets` clients with at most `connectConcurrency` handshakes in flight, then,
 * one broadcast at a time: POSTs the event (each with its own marker) to `publishUrl`
 * and waits until every socket has received the text carrying that marker, or until
 * `broadcastTimeoutMs`. Timing is on this process's clock from just before the POST.
 * Prints one JSON line (BroadcastLoadResult) and exits after closing every socket.
 */

interface Client {
  onText(handler: (text: string) => void): void;
  close(): Promise<void>;
}

interface PendingBroadcast {
  marker: string;
  receivedAt: Float64Array;
  count: number;
  done: () => void;
}

const CLOSE_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "") as BroadcastLoadConfig;
  const clients: Client[] = [];
  try {
    const connectMs: number[] = [];
    const connectStarted = performance.now();
    let next = 0;
    const openNext = async (): Promise<void> => {
      while (next < config.sockets) {
        next++;
        const started = performance.now();
        clients.push(await connect(config));
        connectMs.push(performance.now() - started);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(config.connectConcurrency, config.sockets) }, openNext),
    );
    const connectAllMs = performance.now() - connectStarted;

    let pending: PendingBroadcast | undefined;
    clients.forEach((client, index) =>
      client.onText((text) => {
        const current = pending;
        if (!current || !Number.isNaN(current.receivedAt[index]) || !text.includes(current.marker))
          return;
        current.receivedAt[index] = performance.now();
        current.count++;
        if (current.count === clients.length) current.done();
      }),
    );

    const result: BroadcastLoadResult = {
      connectMs,
      connectAllMs,
      lastMs: [],
      medianMs: [],
      publishResponseMs: [],
      incomplete: 0,
      deliveredMin: Number.POSITIVE_INFINITY,
      deliveredMax: 0,
      messageBytes: Buffer.byteLength(config.eventTemplate),
    };
    for (let round = 0; round < config.warmup + config.broadcasts; round++) {
      const marker = `bench-marker-${String(round).padStart(6, "0")}`;
      const body = config.eventTemplate.replace(MARKER_PLACEHOLDER, marker);
      let timer: NodeJS.Timeout | undefined;
      const everyone = new Promise<boolean>((resolve) => {
        pending = {
          marker,
          receivedAt: new Float64Array(clients.length).fill(Number.NaN),
          count: 0,
          done: () => resolve(true),
        };
        timer = setTimeout(() => resolve(false), config.broadcastTimeoutMs);
      });
      const sentAt = performance.now();
      const response = await fetch(config.publishUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const respondedAt = performance.now();
      const { delivered } = (await response.json()) as { delivered: number };
      if (!response.ok) throw new Error(`publish answered ${response.status}`);
      const complete = await everyone;
      clearTimeout(timer);
      const times = pending ? Array.from(pending.receivedAt) : [];
      pending = undefined;

      if (round >= config.warmup) {
        result.deliveredMin = Math.min(result.deliveredMin, delivered);
        result.deliveredMax = Math.max(result.deliveredMax, delivered);
        result.publishResponseMs.push(respondedAt - sentAt);
        if (complete) {
          const sorted = times.map((time) => time - sentAt).sort((left, right) => left - right);
          result.lastMs.push(sorted[sorted.length - 1] ?? 0);
          result.medianMs.push(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
        } else {
          result.incomplete++;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, config.pauseMs));
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

function connect(config: BroadcastLoadConfig): Promise<Client> {
  return config.kind === "ws" ? connectWs(config.connectUrl) : connectSocketIo(config.connectUrl);
}

function connectWs(url: string): Promise<Client> {
  // No compression, like the servers: every variant sends the same bytes.
  const socket = new WebSocket(url, {
    perMessageDeflate: false,
    handshakeTimeout: CONNECT_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`socket refused with ${response.statusCode}`)),
    );
    socket.once("open", () =>
      resolve({
        onText: (handler) => socket.on("message", (data: Buffer) => handler(data.toString("utf8"))),
        close: () =>
          new Promise<void>((closed) => {
            if (socket.readyState === WebSocket.CLOSED) return closed();
            const timer = setTimeout(() => {
              socket.terminate();
              closed();
            }, CLOSE_TIMEOUT_MS);
            socket.once("close", () => {
              clearTimeout(timer);
              closed();
            });
            socket.close(1000, "benchmark done");
          }),
      }),
    );
  });
}

function connectSocketIo(url: string): Promise<Client> {
  // WebSocket from the start: the long-polling first leg would only slow the set-up.
  const socket: SocketIoSocket = io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect_error", reject);
    socket.once("connect", () =>
      resolve({
        onText: (handler) => socket.on("message", (text: string) => handler(text)),
        close: async () => {
          socket.disconnect();
        },
      }),
    );
  });
}

await main();
process.exit(0);
