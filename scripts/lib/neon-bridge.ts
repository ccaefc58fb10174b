import { createRequire } from "node:module";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import type * as WsModule from "ws";

// Required, not imported: under Vitest's Workers plugin the `ws` import resolves to the
// package's browser stub, which has no server.
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof WsModule;

/**
 * A loopback WebSocket-to-TCP bridge that speaks the Neon serverless driver's proxy
 * protocol (`/v2?address=host:port`, then raw Postgres bytes in binary frames), so the
 * workers reach a local Postgres through the exact driver they use in production.
 *
 * It is not an open proxy: it dials only the one database it was started for and
 * refuses any other address. It also refuses handshakes that carry an Origin header:
 * browsers always send one, workerd does not, and a web page must never reach the
 * database through a developer's machine.
 */
export interface NeonBridge {
  port: number;
  close(): Promise<void>;
}

export interface NeonBridgeOptions {
  databaseHost: string;
  databasePort: number;
  /** 0 picks a free port. */
  port?: number;
}

export async function startNeonBridge(options: NeonBridgeOptions): Promise<NeonBridge> {
  const allowedAddress = `${options.databaseHost}:${options.databasePort}`;
  const server = new WebSocketServer({
    host: "127.0.0.1",
    port: options.port ?? 0,
    path: "/v2",
    verifyClient: ({ req }, accept) => {
      if (req.headers.origin !== undefined)
        return accept(false, 403, "browsers may not use this bridge");
      const address = new URL(req.url ?? "", "ws://bridge").searchParams.get("address");
      if (address !== allowedAddress)
        return accept(false, 403, "this bridge serves one database only");
      accept(true);
    },
  });

  server.on("connection", (socket) => {
    const upstream = connect({ host: options.databaseHost, port: options.databasePort });
    upstream.setNoDelay(true);
    const pending: Buffer[] = [];
    let connected = false;
    upstream.on("connect", () => {
      connected = true;
      for (const chunk of pending.splice(0)) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => socket.send(chunk, { binary: true }));
    upstream.on("close", () => socket.close());
    upstream.on("error", () => socket.close(1011, "database unreachable"));
    socket.on("message", (data: Buffer) => {
      if (connected) upstream.write(data);
      else pending.push(data);
      // Postgres closes the connection after Terminate; PGlite's socket server does not,
      // and the driver waits for that close before its end() resolves.
      if (isTerminateMessage(data)) {
        upstream.end();
        socket.close(1000, "terminated");
      }
    });
    socket.on("close", () => upstream.destroy());
    socket.on("error", () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** The frontend Terminate message: 'X' then an Int32 length of 4 (Postgres protocol 3.0). */
function isTerminateMessage(data: Buffer): boolean {
  return data.length === 5 && data[0] === 0x58 && data.readInt32BE(1) === 4;
}
