import { DurableObject } from "cloudflare:workers";
import type { TicketEvent } from "../../../shared/realtime/events.ts";
import { createLogger } from "../../../shared/log.ts";
import {
  MAX_SOCKETS_PER_SESSION,
  MAX_SOCKETS_PER_TENANT,
} from "../../../shared/realtime/limits.ts";
import type { DashboardEnv } from "./env.ts";

export {
  MAX_SOCKETS_PER_SESSION,
  MAX_SOCKETS_PER_TENANT,
} from "../../../shared/realtime/limits.ts";
/** Agents only listen. Anything longer than a ping is not a message we expect. */
const MAX_CLIENT_MESSAGE_BYTES = 64;
/** WebSocket close code 1008: policy violation (RFC 6455 section 7.4.1). */
const CLOSE_POLICY_VIOLATION = 1008;

/** Headers the dashboard worker sets after checking the session; never from a browser. */
export const HUB_AGENT_HEADER = "x-hub-agent-id";
export const HUB_SESSION_HEADER = "x-hub-session-key";
export const HUB_SESSION_EXPIRES_HEADER = "x-hub-session-expires-at";

interface SocketAttachment {
  agentId: string;
  sessionExpiresAt: number;
}

const logger = createLogger({ worker: "dashboard", component: "tenant-hub" });

/**
 * One instance per tenant, named by the tenant id, so there is no channel that two
 * tenants share. Sockets use the Hibernation API: an idle hub costs nothing, and the
 * runtime answers keep-alive pings without waking it.
 */
export class TenantHub extends DurableObject<DashboardEnv> {
  constructor(ctx: DurableObjectState, env: DashboardEnv) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const agentId = request.headers.get(HUB_AGENT_HEADER);
    const sessionKey = request.headers.get(HUB_SESSION_HEADER);
    const sessionExpiresAt = Number(request.headers.get(HUB_SESSION_EXPIRES_HEADER) ?? Number.NaN);
    if (
      !agentId ||
      !sessionKey ||
      !Number.isSafeInteger(sessionExpiresAt) ||
      sessionExpiresAt <= 0
    ) {
      return new Response("missing session context", { status: 400 });
    }
    if (this.ctx.getWebSockets(sessionKey).length >= MAX_SOCKETS_PER_SESSION) {
      return new Response("too many live connections for this session", { status: 429 });
    }
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS_PER_TENANT) {
      return new Response("too many live connections for this tenant", { status: 503 });
    }

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [sessionKey]);
    server.serializeAttachment({ agentId, sessionExpiresAt } satisfies SocketAttachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** One event to every socket of the tenant. Returns how many sockets received it. */
  async publish(event: TicketEvent): Promise<number> {
    return this.publishAll([event]);
  }

  /**
   * Called by the processor over RPC, once per batch step, so a batch of a hundred
   * tickets costs one call rather than a hundred. Each event is still its own frame.
   * Returns how many sockets received the events.
   */
  async publishAll(events: readonly TicketEvent[]): Promise<number> {
    const payloads = events.map((event) => JSON.stringify(event));
    const now = Date.now();
    let delivered = 0;
    for (const socket of this.ctx.getWebSockets()) {
      const attachment = socket.deserializeAttachment() as SocketAttachment | null;
      // A socket outlives neither its session nor a logout for longer than one event.
      if (!attachment || attachment.sessionExpiresAt <= now) {
        socket.close(CLOSE_POLICY_VIOLATION, "session expired");
        continue;
      }
      try {
        for (const payload of payloads) socket.send(payload);
        delivered++;
      } catch {
        // The socket closed between listing and sending; its close handler cleans up.
      }
    }
    return delivered;
  }

  /** Called at logout: the session's sockets close with it. */
  async closeSession(sessionKey: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(sessionKey);
    for (const socket of sockets) socket.close(CLOSE_POLICY_VIOLATION, "signed out");
    return sockets.length;
  }

  async connectionCount(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const size = typeof message === "string" ? message.length : message.byteLength;
    logger.log("warn", "hub.unexpected_message", {
      bytes: Math.min(size, MAX_CLIENT_MESSAGE_BYTES + 1),
    });
    socket.close(CLOSE_POLICY_VIOLATION, "clients may only send ping");
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    socket.close(echoableCloseCode(code), "closing");
  }
}

/**
 * The code to answer a client's close with: its own when it is one an endpoint may
 * send (RFC 6455 section 7.4), otherwise 1000. Echoing 1005, 1006, 1015 or an
 * unassigned code makes the runtime throw.
 */
export function echoableCloseCode(code: number): number {
  const isSendableProtocolCode = code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code);
  const isApplicationCode = code >= 3000 && code <= 4999;
  return isSendableProtocolCode || isApplicationCode ? code : 1000;
}
