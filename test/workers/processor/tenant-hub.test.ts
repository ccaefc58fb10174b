import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketEvent } from "../../../shared/realtime/events.ts";
import type { ProcessorEnv } from "../../../workers/processor/src/env.ts";
import {
  HUB_AGENT_HEADER,
  HUB_SESSION_EXPIRES_HEADER,
  HUB_SESSION_HEADER,
  MAX_SOCKETS_PER_TENANT,
} from "../../../workers/dashboard/src/tenant-hub.ts";
import { connectToHub, hubOf } from "../support/tenant-hub-client.ts";
import { sleep } from "../support/wait.ts";

/**
 * TenantHub as the processor's test worker hosts it: real Durable Objects, real
 * hibernatable WebSockets. Each test talks to the hub of a fresh tenant id.
 */

const hubs = (env as unknown as ProcessorEnv).TENANT_HUB;
const POLICY_VIOLATION = 1008;

function ticketUpdated(ticketId: string = createUuidV7()): TicketEvent {
  return {
    type: "ticket.updated",
    ticket: { id: ticketId, sentiment: { label: "negative", score: -0.5, analyzer: "lexicon" } },
  };
}

describe("TenantHub.publish", () => {
  it("sends the event to every socket of the tenant", async () => {
    const tenantId = createUuidV7();
    const agents = [
      await connectToHub(hubs, tenantId),
      await connectToHub(hubs, tenantId),
      await connectToHub(hubs, tenantId),
    ];
    const event = ticketUpdated();

    const delivered = await hubOf(hubs, tenantId).publish(event);

    expect(delivered).toBe(3);
    for (const agent of agents) expect(JSON.parse(await agent.nextMessage())).toEqual(event);
  });

  it("sends nothing to another tenant's sockets", async () => {
    const tenantId = createUuidV7();
    const otherTenantId = createUuidV7();
    const outsider = await connectToHub(hubs, otherTenantId);

    const delivered = await hubOf(hubs, tenantId).publish(ticketUpdated());

    expect(delivered).toBe(0);
    // The outsider's first message is its own tenant's event.
    const ownEvent = ticketUpdated();
    await hubOf(hubs, otherTenantId).publish(ownEvent);
    expect(JSON.parse(await outsider.nextMessage())).toEqual(ownEvent);
  });

  it("closes a socket whose session has expired at the next publish", async () => {
    const tenantId = createUuidV7();
    const SESSION_LEFT_MS = 1_000;
    const expiring = await connectToHub(hubs, tenantId, {
      expiresAtMs: Date.now() + SESSION_LEFT_MS,
    });
    const current = await connectToHub(hubs, tenantId);
    expect(await hubOf(hubs, tenantId).publish(ticketUpdated())).toBe(2);

    await sleep(SESSION_LEFT_MS + 100);
    const delivered = await hubOf(hubs, tenantId).publish(ticketUpdated());

    expect(delivered).toBe(1);
    expect((await expiring.waitForClose()).code).toBe(POLICY_VIOLATION);
    expect(expiring.received).toHaveLength(1);
    expect(current.received).toHaveLength(2);
    expect(current.isClosed()).toBe(false);
  });
});

describe("messages from clients", () => {
  it("answers ping with pong and keeps the socket open", async () => {
    const tenantId = createUuidV7();
    const agent = await connectToHub(hubs, tenantId);

    agent.socket.send("ping");

    expect(await agent.nextMessage()).toBe("pong");
    const event = ticketUpdated();
    expect(await hubOf(hubs, tenantId).publish(event)).toBe(1);
    expect(JSON.parse(await agent.nextMessage())).toEqual(event);
  });

  it.each([
    ["any other text", "hello"],
    ["a ping in capitals", "PING"],
    ["a ping with padding", "ping "],
    ["a JSON command", JSON.stringify({ type: "subscribe", tenantId: createUuidV7() })],
    ["binary data", new Uint8Array([0x70, 0x69, 0x6e, 0x67])],
  ])("closes the socket with 1008 on %s", async (_name, message) => {
    const tenantId = createUuidV7();
    const agent = await connectToHub(hubs, tenantId);

    agent.socket.send(message);

    expect((await agent.waitForClose()).code).toBe(POLICY_VIOLATION);
    expect(await hubOf(hubs, tenantId).publish(ticketUpdated())).toBe(0);
  });
});

describe("TenantHub.closeSession", () => {
  it("closes the sockets of that session and no others", async () => {
    const tenantId = createUuidV7();
    const signingOut = [
      await connectToHub(hubs, tenantId, { sessionKey: "session:leaving" }),
      await connectToHub(hubs, tenantId, { sessionKey: "session:leaving" }),
    ];
    const staying = await connectToHub(hubs, tenantId, { sessionKey: "session:staying" });

    const closed = await hubOf(hubs, tenantId).closeSession("session:leaving");

    expect(closed).toBe(2);
    for (const agent of signingOut)
      expect((await agent.waitForClose()).code).toBe(POLICY_VIOLATION);
    const event = ticketUpdated();
    expect(await hubOf(hubs, tenantId).publish(event)).toBe(1);
    expect(JSON.parse(await staying.nextMessage())).toEqual(event);
  });
});

describe("connecting", () => {
  it("refuses a request that is not a WebSocket upgrade", async () => {
    const response = await hubOf(hubs, createUuidV7()).fetch("https://tenant-hub.internal/connect");

    expect(response.status).toBe(426);
    expect(response.webSocket).toBeNull();
  });

  it.each([HUB_AGENT_HEADER, HUB_SESSION_HEADER, HUB_SESSION_EXPIRES_HEADER])(
    "refuses an upgrade without %s",
    async (missing) => {
      const headers = new Headers({
        upgrade: "websocket",
        [HUB_AGENT_HEADER]: createUuidV7(),
        [HUB_SESSION_HEADER]: "session:abc",
        [HUB_SESSION_EXPIRES_HEADER]: String(Date.now() + 60_000),
      });
      // Regression: Number(null) is 0, which is finite, so a missing expiry once passed as 1970.
      headers.delete(missing);

      const response = await hubOf(hubs, createUuidV7()).fetch(
        "https://tenant-hub.internal/connect",
        {
          headers,
        },
      );

      expect(response.status).toBe(400);
      expect(response.webSocket).toBeNull();
    },
  );

  it(`refuses a socket beyond ${MAX_SOCKETS_PER_TENANT} per tenant`, async () => {
    const tenantId = createUuidV7();
    const hub = hubOf(hubs, tenantId);
    // Filling the hub from inside costs far less than a thousand upgrades through fetch.
    await runInDurableObject(hub, (_instance, state) => {
      for (let count = 0; count < MAX_SOCKETS_PER_TENANT - 1; count++) {
        const { 1: server } = new WebSocketPair();
        state.acceptWebSocket(server, ["session:filler"]);
      }
    });

    const last = await connectToHub(hubs, tenantId);
    const response = await hub.fetch("https://tenant-hub.internal/connect", {
      headers: {
        upgrade: "websocket",
        [HUB_AGENT_HEADER]: createUuidV7(),
        [HUB_SESSION_HEADER]: "session:one-too-many",
        [HUB_SESSION_EXPIRES_HEADER]: String(Date.now() + 60_000),
      },
    });

    expect(last.isClosed()).toBe(false);
    expect(response.status).toBe(503);
    expect(response.webSocket).toBeNull();
    expect(await hub.connectionCount()).toBe(MAX_SOCKETS_PER_TENANT);
  });
});
