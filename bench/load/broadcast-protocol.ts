/** What the broadcast scenario and its load generator (broadcast-clients.ts) exchange. */
export interface BroadcastLoadConfig {
  kind: "ws" | "socketio";
  /** ws: the socket URL; socketio: the server's http:// base URL. */
  connectUrl: string;
  publishUrl: string;
  sockets: number;
  connectConcurrency: number;
  warmup: number;
  broadcasts: number;
  /** The event's JSON text; MARKER_PLACEHOLDER is replaced by a fixed-width marker. */
  eventTemplate: string;
  broadcastTimeoutMs: number;
  pauseMs: number;
}

export interface BroadcastLoadResult {
  /** Per socket: handshake start to open. */
  connectMs: number[];
  /** From the first handshake's start to the last socket open. */
  connectAllMs: number;
  /** Per measured broadcast: POST sent to the last socket receiving. */
  lastMs: number[];
  /** Per measured broadcast: POST sent to the median socket receiving. */
  medianMs: number[];
  /** Per measured broadcast: POST sent to the publish response. */
  publishResponseMs: number[];
  /** Measured broadcasts that did not reach every socket in time (left out of lastMs). */
  incomplete: number;
  /** Sockets the server said it sent to, per measured broadcast (min and max). */
  deliveredMin: number;
  deliveredMax: number;
  messageBytes: number;
}

export const MARKER_PLACEHOLDER = "bench-marker-000000";
