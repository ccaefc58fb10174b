import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createPostgresTicketRepository } from "../../../shared/adapters/postgres-ticket-repository.ts";
import { createSessionToken, sessionStoreKey } from "../../../shared/auth/session.ts";
import type { SessionRecord } from "../../../shared/auth/session.ts";
import { createUuidV7 } from "../../../shared/ids.ts";
import type { TicketSummary } from "../../../shared/realtime/events.ts";
import { DASHBOARD_CONTENT_SECURITY_POLICY } from "../../../shared/http/security-headers.ts";
import type { TicketMessage } from "../../../shared/tickets/schema.ts";
import type { DashboardEnv } from "../../../workers/dashboard/src/env.ts";
import { fetchDashboard, logIn, submitLogin } from "../support/dashboard-client.ts";
import type { TestTenant } from "../support/test-database.ts";
import { readTestDatabase, tenantAt, withAdminDatabase } from "../support/test-database.ts";
import { buildTicketMessage, buildTicketPayload } from "../support/ticket-messages.ts";

/**
 * The dashboard's ticket API and pages inside workerd, reading the run's Postgres as
 * ticket_reader. Tickets are seeded through the processor's own repository, as
 * ticket_writer under row-level security.
 */

const dashboardEnv = env as unknown as DashboardEnv & { TEST_DATABASE: string };
const database = readTestDatabase(dashboardEnv.TEST_DATABASE);
const alpha = tenantAt(database, 0);
const beta = tenantAt(database, 1);

const HOSTILE_SUBJECT = "<script>alert(1)</script>";
const HOSTILE_BODY = "<img src=x onerror=alert(document.cookie)> '; drop table tickets; --";

const alphaTicket = buildTicketMessage(alpha.tenantId);
const alphaHostileTicket = buildTicketMessage(
  alpha.tenantId,
  buildTicketPayload({ subject: HOSTILE_SUBJECT, body: HOSTILE_BODY }),
);
const betaTicket = buildTicketMessage(beta.tenantId);

interface ProblemBody {
  status: number;
  code: string;
  detail: string;
}

type TicketDetail = TicketSummary & { body: string; customerEmail: string };

beforeAll(async () => {
  await seedTickets(alpha, [alphaTicket, alphaHostileTicket]);
  await seedTickets(beta, [betaTicket]);
});

describe("GET /api/tickets", () => {
  it("answers 401 without a session", async () => {
    const response = await fetchDashboard("/api/tickets");

    await expectProblem(response, 401, "unauthenticated");
  });

  it("lists the session's tenant's tickets and none of another tenant's", async () => {
    const alphaCookie = await logIn(alpha);
    const betaCookie = await logIn(beta);

    const alphaList = await listTicketIds(alphaCookie);
    const betaList = await listTicketIds(betaCookie);

    expect(alphaList).toEqual(
      expect.arrayContaining([alphaTicket.ticketId, alphaHostileTicket.ticketId]),
    );
    expect(alphaList).not.toContain(betaTicket.ticketId);
    expect(betaList).toContain(betaTicket.ticketId);
    expect(betaList).not.toContain(alphaTicket.ticketId);
    expect(betaList).not.toContain(alphaHostileTicket.ticketId);
  });

  it.each([
    ["a forged token", () => `__Host-session=${createSessionToken()}`],
    ["a malformed token", () => "__Host-session=admin"],
    ["an empty token", () => "__Host-session="],
    ["the session under another cookie name", () => `session=${createSessionToken()}`],
  ])("refuses %s with 401", async (_name, cookie) => {
    const response = await fetchDashboard("/api/tickets", {}, { cookie: cookie() });

    await expectProblem(response, 401, "unauthenticated");
  });

  it("refuses a session whose expiry has passed, even while the store still holds it", async () => {
    const token = createSessionToken();
    const expired: SessionRecord = {
      agentId: createUuidV7(),
      tenantId: alpha.tenantId,
      email: alpha.agentEmail,
      createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString(),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    };
    await dashboardEnv.SESSIONS.put(await sessionStoreKey(token), JSON.stringify(expired));

    const response = await fetchDashboard(
      "/api/tickets",
      {},
      { cookie: `__Host-session=${token}` },
    );

    await expectProblem(response, 401, "unauthenticated");
  });
});

describe("GET /api/tickets/:id", () => {
  it("returns the session's tenant's ticket in full", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard(`/api/tickets/${alphaTicket.ticketId}`, {}, { cookie });

    expect(response.status).toBe(200);
    const { ticket } = await response.json<{ ticket: TicketDetail }>();
    expect(ticket).toMatchObject({
      id: alphaTicket.ticketId,
      externalId: alphaTicket.ticket.externalId,
      subject: alphaTicket.ticket.subject,
      body: alphaTicket.ticket.body,
      customerEmail: alphaTicket.ticket.customer.email,
    });
  });

  it("answers another tenant's ticket with the same 404 as a ticket that does not exist", async () => {
    const cookie = await logIn(alpha);

    const foreign = await fetchDashboard(`/api/tickets/${betaTicket.ticketId}`, {}, { cookie });
    const missing = await fetchDashboard(`/api/tickets/${createUuidV7()}`, {}, { cookie });
    const notAnId = await fetchDashboard("/api/tickets/not-a-uuid", {}, { cookie });
    const injected = await fetchDashboard(
      `/api/tickets/${encodeURIComponent("' or '1'='1")}`,
      {},
      { cookie },
    );

    const foreignProblem = await expectProblem(foreign, 404, "not_found");
    expect(await expectProblem(missing, 404, "not_found")).toEqual(foreignProblem);
    expect(await expectProblem(notAnId, 404, "not_found")).toEqual(foreignProblem);
    expect(await expectProblem(injected, 404, "not_found")).toEqual(foreignProblem);
  });

  it("returns markup in ticket text as JSON strings, never as HTML", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard(
      `/api/tickets/${alphaHostileTicket.ticketId}`,
      {},
      { cookie },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const { ticket } = await response.json<{ ticket: TicketDetail }>();
    expect(ticket.subject).toBe(HOSTILE_SUBJECT);
    expect(ticket.body).toBe(HOSTILE_BODY);
    // The page is only a frame: ticket text reaches the browser through the API alone.
    const page = await fetchDashboard("/tickets", {}, { cookie });
    expect(await page.text()).not.toContain("alert(");
  });
});

describe("HTML pages", () => {
  it("serve /tickets with the strict CSP, no-store and the baseline headers", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard("/tickets", {}, { cookie });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    // same-origin, not no-referrer: under no-referrer Chromium sends Origin: null on our own forms.
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("send an anonymous visitor of /tickets to /login", async () => {
    const response = await fetchDashboard("/tickets");

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login");
  });

  it("keep ticket data out of caches too", async () => {
    const cookie = await logIn(alpha);

    const list = await fetchDashboard("/api/tickets", {}, { cookie });
    const detail = await fetchDashboard(`/api/tickets/${alphaTicket.ticketId}`, {}, { cookie });

    expect(list.headers.get("cache-control")).toBe("no-store");
    expect(detail.headers.get("cache-control")).toBe("no-store");
  });
});

describe("password hashes", () => {
  it("appear in no response the dashboard gives", async () => {
    const storedHash = await withAdminDatabase(database, "ticket_reader", async (handle) => {
      const result = await handle.db.execute<{ password_hash: string }>(
        sql`select password_hash from agents where lower(email) = lower(${alpha.agentEmail})`,
      );
      return result.rows[0]?.password_hash ?? "";
    });
    const [, , salt = "", digest = ""] = storedHash.split("$");
    expect(digest.length).toBeGreaterThan(0);

    const cookie = await logIn(alpha);
    const responses = [
      await fetchDashboard("/login"),
      await submitLogin({ email: alpha.agentEmail, password: "wrong-password-here" }),
      await submitLogin({ email: alpha.agentEmail, password: alpha.agentPassword }),
      await fetchDashboard("/tickets", {}, { cookie }),
      await fetchDashboard("/api/tickets", {}, { cookie }),
      await fetchDashboard(`/api/tickets/${alphaTicket.ticketId}`, {}, { cookie }),
      await fetchDashboard(`/api/tickets/${betaTicket.ticketId}`, {}, { cookie }),
    ];

    for (const response of responses) {
      const text = `${[...response.headers].join("\n")}\n${await response.text()}`;
      expect(text).not.toContain(digest);
      expect(text).not.toContain(salt);
      expect(text).not.toContain("pbkdf2");
    }
  });
});

/** Writes through the processor's repository: ticket_writer, scoped to the tenant. */
async function seedTickets(tenant: TestTenant, messages: TicketMessage[]): Promise<void> {
  await withAdminDatabase(database, "ticket_writer", async (handle) => {
    const repository = createPostgresTicketRepository(handle);
    const stored = await repository.saveTickets(tenant.tenantId, messages);
    if (stored.filter((ticket) => ticket.isNew).length !== messages.length) {
      throw new Error("seeding stored fewer tickets than it was given");
    }
  });
}

async function listTicketIds(cookie: string): Promise<string[]> {
  const response = await fetchDashboard("/api/tickets", {}, { cookie });
  expect(response.status).toBe(200);
  const { tickets } = await response.json<{ tickets: TicketSummary[] }>();
  return tickets.map((ticket) => ticket.id);
}

async function expectProblem(
  response: Response,
  status: number,
  code: string,
): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = await response.json<ProblemBody>();
  expect(problem).toMatchObject({ status, code });
  return problem;
}
