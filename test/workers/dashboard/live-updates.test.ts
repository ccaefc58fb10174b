import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketEvent } from "../../../shared/realtime/events.ts";
import type { DashboardEnv } from "../../../workers/dashboard/src/env.ts";
import { fetchDashboard, logIn } from "../support/dashboard-client.ts";
import type { BrowserContext } from "../support/dashboard-client.ts";
import { acceptLiveSocket } from "../support/live-socket.ts";
import { hubOf } from "../support/tenant-hub-client.ts";
import { readTestDatabase, tenantAt } from "../support/test-database.ts";

/**
 * GET /api/live inside workerd: the dashboard checks the handshake's Origin and the
 * session cookie, then hands the socket to the tenant's TenantHub.
 */

const dashboardEnv = env as unknown as DashboardEnv & { TEST_DATABASE: string };
const database = readTestDatabase(dashboardEnv.TEST_DATABASE);
const alpha = tenantAt(database, 0);
const beta = tenantAt(database, 1);
const POLICY_VIOLATION = 1008;

function openLive(browser: BrowserContext): Promise<Response> {
  return fetchDashboard(
    "/api/live",
    {},
    { ...browser, headers: { upgrade: "websocket", ...browser.headers } },
  );
}

function ticketUpdated(): TicketEvent {
  return {
    type: "ticket.updated",
    ticket: {
      id: createUuidV7(),
      sentiment: { label: "positive", score: 0.6, analyzer: "lexicon" },
    },
  };
}

describe("GET /api/live refusals", () => {
  it("answers a plain GET with 426 and Upgrade: websocket", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard("/api/live", {}, { cookie });

    expect(response.status).toBe(426);
    expect(response.headers.get("upgrade")).toBe("websocket");
    expect(await response.json()).toMatchObject({ code: "upgrade_required" });
  });

  it.each([
    ["a foreign Origin", "https://evil.example"],
    ["no Origin", null],
  ])("refuses a handshake with %s, session or not, as csrf_rejected", async (_name, origin) => {
    const cookie = await logIn(alpha);

    const response = await openLive({ cookie, origin });

    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
    expect(await response.json()).toMatchObject({ code: "csrf_rejected" });
  });

  it("refuses a same-origin handshake without a session with 401", async () => {
    const response = await openLive({});

    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
    expect(await response.json()).toMatchObject({ code: "unauthenticated" });
  });
});

describe("GET /api/live with a session", () => {
  it("upgrades to a socket that receives its tenant's events and not another tenant's", async () => {
    const cookie = await logIn(alpha);

    const live = acceptLiveSocket(await openLive({ cookie }));

    const betaEvent = ticketUpdated();
    const alphaEvent = ticketUpdated();
    await hubOf(dashboardEnv.TENANT_HUB, beta.tenantId).publish(betaEvent);
    await hubOf(dashboardEnv.TENANT_HUB, alpha.tenantId).publish(alphaEvent);
    // Events arrive in order, so the first one being alpha's means beta's never came.
    expect(JSON.parse(await live.nextMessage())).toEqual(alphaEvent);
  });

  it("ignores hub headers a client sends, keeping the session's own expiry", async () => {
    const cookie = await logIn(alpha);

    const live = acceptLiveSocket(
      await openLive({
        cookie,
        headers: { "x-hub-session-expires-at": "1", "x-hub-agent-id": "someone-else" },
      }),
    );

    const event = ticketUpdated();
    await hubOf(dashboardEnv.TENANT_HUB, alpha.tenantId).publish(event);
    expect(JSON.parse(await live.nextMessage())).toEqual(event);
  });

  it("closes the socket with 1008 when its session logs out", async () => {
    const cookie = await logIn(alpha);
    const live = acceptLiveSocket(await openLive({ cookie }));
    const otherSession = acceptLiveSocket(await openLive({ cookie: await logIn(alpha) }));

    const logout = await fetchDashboard("/logout", { method: "POST" }, { cookie });

    expect(logout.status).toBe(303);
    expect((await live.waitForClose()).code).toBe(POLICY_VIOLATION);
    const event = ticketUpdated();
    await hubOf(dashboardEnv.TENANT_HUB, alpha.tenantId).publish(event);
    expect(JSON.parse(await otherSession.nextMessage())).toEqual(event);
  });
});
