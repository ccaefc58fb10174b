import { DEFAULT_WAIT_MS, waitFor } from "./wait.ts";

export interface CloseInfo {
  code: number;
  reason: string;
}

/** The client end of a WebSocket, with everything it has received so far. */
export interface LiveSocket {
  socket: WebSocket;
  received: string[];
  /** The next message not yet read by this helper; fails after `timeoutMs`. */
  nextMessage(timeoutMs?: number): Promise<string>;
  /** Resolves with the close frame's code once the server closes the socket. */
  waitForClose(timeoutMs?: number): Promise<CloseInfo>;
  isClosed(): boolean;
}

/** Accepts the WebSocket of a 101 response and starts collecting what arrives. */
export function acceptLiveSocket(response: Response): LiveSocket {
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) {
    throw new Error(`expected a 101 WebSocket response, got ${response.status}`);
  }
  socket.accept();

  const received: string[] = [];
  let closeInfo: CloseInfo | undefined;
  let read = 0;
  socket.addEventListener("message", (event) => {
    const data: unknown = event.data;
    received.push(typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer));
  });
  socket.addEventListener("close", (event) => {
    closeInfo = { code: event.code, reason: event.reason };
  });

  return {
    socket,
    received,
    async nextMessage(timeoutMs = DEFAULT_WAIT_MS) {
      const message = await waitFor("a WebSocket message", () => received[read], timeoutMs);
      read++;
      return message;
    },
    waitForClose(timeoutMs = DEFAULT_WAIT_MS) {
      return waitFor("the WebSocket to close", () => closeInfo, timeoutMs);
    },
    isClosed: () => closeInfo !== undefined,
  };
}
