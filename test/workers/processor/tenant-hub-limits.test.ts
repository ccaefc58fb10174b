import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ProcessorEnv } from "../../../workers/processor/src/env.ts";
import {
  echoableCloseCode,
  HUB_AGENT_HEADER,
  HUB_SESSION_EXPIRES_HEADER,
  HUB_SESSION_HEADER,
  MAX_SOCKETS_PER_SESSION,
} from "../../../workers/dashboard/src/tenant-hub.ts";
import { connectToHub, hubOf } from "../support/tenant-hub-client.ts";

/**
 * Limits an agent can push against: how many sockets one session holds, and what the
 * hub answers when a client closes with a code an endpoint may not send back.
 */
const hubs = (env as unknown as ProcessorEnv).TENANT_HUB;

describe("TenantHub per-session socket limit", () => {
  it("refuses a session's socket past the limit while another session still connects", async () => {
    // Regression: one session could open the whole tenant's 1,000 sockets and lock out
    // every colleague.
    const tenantId = crypto.randomUUID();
    const sessionKey = `session:${crypto.randomUUID()}`;
    for (let index = 0; index < MAX_SOCKETS_PER_SESSION; index++) {
      await connectToHub(hubs, tenantId, { sessionKey });
    }

    const refused = await hubOf(hubs, tenantId).fetch("https://tenant-hub.internal/connect", {
      headers: {
        upgrade: "websocket",
        [HUB_AGENT_HEADER]: crypto.randomUUID(),
        [HUB_SESSION_HEADER]: sessionKey,
        [HUB_SESSION_EXPIRES_HEADER]: String(Date.now() + 60_000),
      },
    });
    const colleague = await connectToHub(hubs, tenantId);

    expect(refused.status).toBe(429);
    expect(refused.webSocket).toBeNull();
    expect(colleague.isClosed()).toBe(false);
  });
});

describe("closing codes", () => {
  it("echoes codes an endpoint may send and answers the rest with 1000", () => {
    expect([1000, 1001, 1008, 1011, 3000, 4999].map(echoableCloseCode)).toEqual([
      1000, 1001, 1008, 1011, 3000, 4999,
    ]);
    // Reserved, never-on-the-wire or unassigned: echoing these made the runtime throw.
    expect([1004, 1005, 1006, 1015, 999, 2000, 5000, 65535].map(echoableCloseCode)).toEqual([
      1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
    ]);
  });

  it("keeps serving the other sockets after a client closes its own", async () => {
    const tenantId = crypto.randomUUID();
    const closer = await connectToHub(hubs, tenantId);
    const listener = await connectToHub(hubs, tenantId);

    closer.socket.close(4000, "bye");
    await closer.waitForClose();
    const delivered = await hubOf(hubs, tenantId).publish({
      type: "ticket.updated",
      ticket: {
        id: crypto.randomUUID(),
        sentiment: { label: "neutral", score: 0, analyzer: "lexicon" },
      },
    });

    expect(delivered).toBe(1);
    expect(JSON.parse(await listener.nextMessage())).toMatchObject({ type: "ticket.updated" });
  });
});
