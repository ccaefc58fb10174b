import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import pg from "pg";
import type * as WsModule from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoComplaint } from "../../scripts/lib/complaint-to-ticket.ts";
import { loadDemoComplaints } from "../../scripts/lib/complaint-to-ticket.ts";
import { DEMO_CSV } from "../../scripts/lib/dev-stack.ts";
import type { DevTenant } from "../../scripts/lib/dev-state.ts";
import { buildSignedTicketRequest, sendSignedTicket } from "../../scripts/lib/webhook-client.ts";
import { SESSION_COOKIE } from "../../shared/auth/session.ts";
import { BASELINE_SECURITY_HEADERS } from "../../shared/http/security-headers.ts";
import type { TicketEvent } from "../../shared/realtime/events.ts";
import type { E2eStack } from "./support/stack.ts";
import { readWorkerLogEvents, useDevStack, waitFor } from "./support/stack.ts";

// Required, not imported, as in scripts/lib/neon-bridge.ts. Node's global WebSocket cannot
// send the Origin and Cookie headers a browser would, so `ws` stands in for the browser.
const { WebSocket } = createRequire(import.meta.url)("ws") as typeof WsModule;
type LiveSocket = InstanceType<typeof WebSocket>;

/** Mirrors MAX_WEBHOOK_BODY_BYTES in workers/edge/src/routes.ts. */
const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** Mirrors LOGIN_RATE_LIMITER in the root wrangler.toml: 10 login posts per 60 s per client IP. */
const LOGIN_LIMIT_PER_MINUTE = 10;
/** Miniflare's limiter counts in windows aligned to the wall clock's minutes. */
const RATE_WINDOW_MS = 60_000;
/** Longer than the 11 login attempts take, PBKDF2 included, on a slow machine. */
const BURST_MARGIN_MS = 8_000;
/** A wrong password that is also a distinctive string for the log search. */
const GUESSED_PASSWORD = "guessed-password-e2e-4f1c9a7d";
/** The queue delivers at once (max_batch_timeout = 0); this bounds a slow CI machine. */
const PIPELINE_TIMEOUT_MS = 20_000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Documentation addresses (RFC 5737), one per purpose, so no test spends another's limit:
// `wrangler dev` passes a client's CF-Connecting-IP through, as Cloudflare's edge would not.
const LOGIN_CLIENT_IP = "192.0.2.10";
const RATE_LIMITED_CLIENT_IP = "198.51.100.77";
const OTHER_CLIENT_IP = "198.51.100.78";

interface TicketRow {
  id: string;
  tenant_id: string;
  external_id: string;
  webhook_id: string;
  sentiment_label: string | null;
}

interface LiveClient {
  tenant: DevTenant;
  events: TicketEvent[];
  socket: LiveSocket;
}

const complaints = loadDemoComplaints(await readFile(DEMO_CSV, "utf8"));
const useStack = useDevStack("pipeline");
let database: pg.Client;

/** Ticket id (from each 202) to the slug of the tenant whose secret signed it. */
const acceptedTickets = new Map<string, string>();
const sessionTokens: string[] = [];
const liveClients: LiveClient[] = [];

beforeAll(async () => {
  database = new pg.Client({ connectionString: useStack().databaseAdminUrl });
  await database.connect();
});

afterAll(async () => {
  for (const client of liveClients) client.socket.terminate();
  await database?.end();
});

describe("the dev stack, driven from outside", () => {
  it("runs every worker and serves the demo tenants", () => {
    const stack = useStack();

    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.tenants.map((tenant) => tenant.slug).sort()).toEqual(
      [...new Set(complaints.map((complaint) => complaint.tenantSlug))].sort(),
    );
  });

  it("opens a live socket for a logged-in agent of each of two tenants", async () => {
    const stack = useStack();
    const [first, second] = listenedTenants(stack);

    for (const tenant of [first, second]) {
      const token = await logIn(stack, tenant, LOGIN_CLIENT_IP);
      sessionTokens.push(token);
      liveClients.push(await openLiveClient(stack, tenant, token));
    }

    expect(liveClients.map((client) => client.socket.readyState)).toEqual([
      WebSocket.OPEN,
      WebSocket.OPEN,
    ]);
  });

  it("accepts every demo complaint signed with its own tenant's secret", async () => {
    const stack = useStack();

    for (const complaint of complaints) {
      const response = await sendComplaint(stack, complaint);

      expect(response.status, `complaint ${complaint.ticket.externalId}`).toBe(202);
      const body = (await response.json()) as { id: string; status: string };
      expect(body.status).toBe("queued");
      expect(body.id).toMatch(UUID_PATTERN);
      acceptedTickets.set(body.id, complaint.tenantSlug);
    }

    expect(acceptedTickets.size).toBe(complaints.length);
  });

  it("stores each accepted complaint in Postgres under its tenant, with a sentiment", async () => {
    const stack = useStack();

    const rows = await waitFor(
      async () => {
        const found = await readTicketRows();
        const analysed = found.filter((row) => row.sentiment_label !== null);
        return analysed.length >= complaints.length ? found : undefined;
      },
      { timeoutMs: PIPELINE_TIMEOUT_MS, description: "every complaint is stored and analysed" },
    );

    expect(rows).toHaveLength(complaints.length);
    for (const row of rows) {
      const slug = acceptedTickets.get(row.id);
      expect(slug, `ticket ${row.id} was never accepted`).toBeDefined();
      expect(row.tenant_id).toBe(stack.tenant(slug ?? "").tenantId);
      expect(row.webhook_id).toBe(webhookIdFor(row.external_id));
      expect(["positive", "neutral", "negative"]).toContain(row.sentiment_label);
    }
    const storedIds = rows.map((row) => row.external_id).sort();
    expect(storedIds).toEqual(complaints.map((complaint) => complaint.ticket.externalId).sort());
  });

  it("pushes ticket.created and ticket.updated to each tenant's sockets for its own tickets only", async () => {
    for (const client of liveClients) {
      const ownIds = idsOfTenant(client.tenant.slug);

      // Each ticket yields exactly one created event, then one updated event.
      await waitFor(() => (client.events.length >= ownIds.size * 2 ? true : undefined), {
        timeoutMs: PIPELINE_TIMEOUT_MS,
        description: `${client.tenant.slug} gets its events`,
      });

      const created = client.events.filter(isCreatedEvent);
      const updated = client.events.filter(isUpdatedEvent);
      expect(new Set(created.map((event) => event.ticket.id))).toEqual(ownIds);
      expect(new Set(updated.map((event) => event.ticket.id))).toEqual(ownIds);
      expect(created).toHaveLength(ownIds.size);
      expect(updated).toHaveLength(ownIds.size);
      for (const event of updated) {
        expect(["positive", "neutral", "negative"]).toContain(event.ticket.sentiment.label);
      }
      // The event is a summary: the body is fetched through the dashboard, under the session.
      for (const event of created) expect(event.ticket).not.toHaveProperty("body");
      for (const id of ownIds) {
        const createdAt = client.events.findIndex((e) => isCreatedEvent(e) && e.ticket.id === id);
        const updatedAt = client.events.findIndex((e) => isUpdatedEvent(e) && e.ticket.id === id);
        expect(createdAt, `ticket ${id} is announced before its sentiment`).toBeLessThan(updatedAt);
      }
    }

    // The third tenant has no socket: none of its ticket ids reached the other two.
    const heard = new Set(liveClients.flatMap((client) => client.events.map((e) => e.ticket.id)));
    const unheardSlug = unlistenedTenant(useStack()).slug;
    expect([...idsOfTenant(unheardSlug)].filter((id) => heard.has(id))).toEqual([]);
  });

  it("stores no duplicate and sends no event when the same webhooks are replayed", async () => {
    const stack = useStack();
    const eventsBefore = liveClients.map((client) => client.events.length);
    const outputBefore = stack.wranglerOutput().length;

    for (const complaint of complaints) {
      const response = await sendComplaint(stack, complaint);
      expect(response.status, `replay of ${complaint.ticket.externalId}`).toBe(202);
    }

    // The processor logs every batch it stored; wait until it has seen every replay.
    const stored = await waitFor(
      () => {
        const events = readWorkerLogEvents(stack.wranglerOutput().slice(outputBefore)).filter(
          (event) => event.event === "tickets.stored",
        );
        const received = events.reduce((sum, event) => sum + Number(event.received), 0);
        return received >= complaints.length ? events : undefined;
      },
      { timeoutMs: PIPELINE_TIMEOUT_MS, description: "the processor has handled every replay" },
    );
    expect(stored.reduce((sum, event) => sum + Number(event.inserted), 0)).toBe(0);

    const rows = await readTicketRows();
    expect(rows).toHaveLength(complaints.length);
    expect(rows.filter((row) => row.sentiment_label !== null)).toHaveLength(complaints.length);
    expect(liveClients.map((client) => client.events.length)).toEqual(eventsBefore);
  });

  it("refuses a live socket from a foreign origin or without a session", async () => {
    const stack = useStack();
    const token = sessionTokens[0] ?? "";

    const foreign = await tryOpenSocket(stack, {
      origin: "http://evil.example",
      cookie: `${SESSION_COOKIE}=${token}`,
    });
    const anonymous = await tryOpenSocket(stack, { origin: stack.url });

    expect(foreign).toBe(403);
    expect(anonymous).toBe(401);
  });
});

describe("the edge, seen from outside", () => {
  it("answers an unknown path with a 404 problem", async () => {
    const stack = useStack();

    for (const path of ["/nope", "/v1/tickets/extra", "/v2/tickets", "/api"]) {
      const response = await fetch(`${stack.url}${path}`);

      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 404, code: "not_found", title: "Not found" });
      expect(problem.requestId).toBe(response.headers.get("x-request-id"));
    }
  });

  it("answers a method the route does not allow with 405 and an Allow header", async () => {
    const stack = useStack();
    const cases = [
      { method: "GET", path: "/v1/tickets", allow: "POST" },
      { method: "PUT", path: "/v1/tickets", allow: "POST" },
      { method: "DELETE", path: "/tickets", allow: "GET, HEAD" },
      { method: "POST", path: "/api/tickets", allow: "GET, HEAD" },
      { method: "PATCH", path: "/login", allow: "GET, HEAD, POST" },
      { method: "GET", path: "/logout", allow: "POST" },
    ];

    for (const { method, path, allow } of cases) {
      const response = await fetch(`${stack.url}${path}`, { method });

      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(await response.json()).toMatchObject({ code: "method_not_allowed" });
    }
  });

  it("refuses a webhook body over 256 KiB with 413, declared or streamed", async () => {
    const stack = useStack();
    const oversized = "x".repeat(MAX_WEBHOOK_BODY_BYTES + 1);

    const declared = await postWebhookBody(stack, oversized);
    // A chunked upload declares no length: the edge must count the bytes as they arrive.
    const streamed = await postWebhookBody(stack, streamOf(oversized));
    // Exactly at the cap the edge lets it through; ingest then finds no webhook headers.
    const atTheCap = await postWebhookBody(stack, oversized.slice(1));

    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: "body_too_large" });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ code: "body_too_large" });
    expect(atTheCap.status).toBe(400);
    expect(await atTheCap.json()).toMatchObject({ code: "missing_header" });
  });

  it("adds the baseline security headers and a fresh request id to every response", async () => {
    const stack = useStack();
    const [complaint] = complaints;
    if (!complaint) throw new Error("the demo CSV has no complaints");

    const responses = [
      await fetch(`${stack.url}/healthz`),
      await fetch(`${stack.url}/login`),
      await fetch(`${stack.url}/assets/dashboard.js`),
      await fetch(`${stack.url}/nope`),
      await fetch(`${stack.url}/api/tickets`),
      // A replayed complaint: a 202 straight from ingest, through the edge.
      await sendComplaint(stack, complaint),
    ];

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 404, 401, 202]);
    const requestIds = new Set<string>();
    for (const response of responses) {
      for (const [name, value] of Object.entries(BASELINE_SECURITY_HEADERS)) {
        expect(response.headers.get(name), `${name} on ${response.url}`).toBe(value);
      }
      const requestId = response.headers.get("x-request-id") ?? "";
      expect(requestId).toMatch(UUID_PATTERN);
      requestIds.add(requestId);
    }
    expect(requestIds.size).toBe(responses.length);
  });

  it("limits one client address to 10 login attempts a minute, and only that address", async () => {
    const stack = useStack();
    // A new unknown email each time, so the dashboard's per-account lockout never answers
    // first: what is counted here is the edge's per-address limit alone.
    let attempts = 0;
    const attemptLogin = (clientIp: string) =>
      fetch(`${stack.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: {
          origin: stack.url,
          "content-type": "application/x-www-form-urlencoded",
          "cf-connecting-ip": clientIp,
        },
        body: new URLSearchParams({
          email: `nobody-${++attempts}@rate-limit.example`,
          password: GUESSED_PASSWORD,
        }),
      });
    await waitForFreshRateWindow();

    const allowed: number[] = [];
    for (let attempt = 0; attempt < LOGIN_LIMIT_PER_MINUTE; attempt++) {
      allowed.push((await attemptLogin(RATE_LIMITED_CLIENT_IP)).status);
    }
    const limited = await attemptLogin(RATE_LIMITED_CLIENT_IP);
    const otherAddress = await attemptLogin(OTHER_CLIENT_IP);

    // Each attempt reaches the dashboard and fails there, until the edge stops them.
    expect(allowed).toEqual(Array<number>(LOGIN_LIMIT_PER_MINUTE).fill(401));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
    expect(otherAddress.status).toBe(401);
  });

  it("rejects a bad signature with 401 and lets nothing reach Postgres", async () => {
    const stack = useStack();
    const [owner, other] = listenedTenants(stack);
    const forged = markerTicket("forged-by-other-secret");
    const tampered = markerTicket("tampered-after-signing");
    const sentinel = markerTicket("sentinel-after-bad-signatures");

    // Signed with another tenant's secret, under the owner's key id.
    const withOtherSecret = await sendSignedTicket(
      stack.url,
      { webhookKeyId: owner.webhookKeyId, webhookSecret: other.webhookSecret },
      forged,
      { webhookId: `msg_${forged.externalId}` },
    );
    // Signed correctly, then the body changed on the way.
    const signed = await buildSignedTicketRequest(stack.url, owner, tampered, {
      webhookId: `msg_${tampered.externalId}`,
    });
    const changedBody = JSON.stringify({ ...tampered, subject: "Changed after signing" });
    const withChangedBody = await fetch(new Request(signed, { body: changedBody }));

    expect(withOtherSecret.status).toBe(401);
    expect(await withOtherSecret.json()).toMatchObject({ code: "invalid_signature" });
    expect(withChangedBody.status).toBe(401);
    expect(await withChangedBody.json()).toMatchObject({ code: "invalid_signature" });

    // A good ticket sent afterwards goes through the same queue; once it is stored, a
    // bad one that had slipped through would be stored too.
    const accepted = await sendSignedTicket(stack.url, owner, sentinel, {
      webhookId: `msg_${sentinel.externalId}`,
    });
    expect(accepted.status).toBe(202);
    await waitFor(
      async () => ((await readExternalIds()).includes(sentinel.externalId) ? true : undefined),
      { timeoutMs: PIPELINE_TIMEOUT_MS, description: "the sentinel ticket is stored" },
    );
    const stored = await readExternalIds();
    expect(stored).not.toContain(forged.externalId);
    expect(stored).not.toContain(tampered.externalId);
  });
});

describe("the logs of every worker", () => {
  it("hold no ticket text, webhook secret, agent password or session token", () => {
    const stack = useStack();
    const output = stack.wranglerOutput();
    const secrets = [
      // Distinctive stretches of each complaint's narrative, and the customer's address.
      ...complaints.map((complaint) => narrativeSample(complaint)),
      ...complaints.map((complaint) => complaint.ticket.customer.email),
      ...stack.tenants.flatMap((tenant) => [
        tenant.webhookSecret,
        tenant.webhookSecret.replace(/^whsec_/, ""),
        tenant.agentPassword,
      ]),
      ...sessionTokens,
      GUESSED_PASSWORD,
    ];

    // The logs were captured at all: the workers' own events are in them.
    const events = new Set(readWorkerLogEvents(output).map((event) => event.event));
    expect(events).toContain("auth.login");
    expect(events).toContain("ticket.accepted");
    expect(events).toContain("ticket.rejected");
    expect(events).toContain("tickets.stored");
    expect(sessionTokens.length).toBeGreaterThan(0);

    const leaked = secrets.filter((secret) => output.includes(secret));
    expect(leaked).toEqual([]);
  });
});

function listenedTenants(stack: E2eStack): [DevTenant, DevTenant] {
  const [first, second] = [...stack.tenants].sort((a, b) => a.slug.localeCompare(b.slug));
  if (!first || !second) throw new Error("the demo needs at least two tenants");
  return [first, second];
}

function unlistenedTenant(stack: E2eStack): DevTenant {
  const listened = new Set(listenedTenants(stack).map((tenant) => tenant.slug));
  const tenant = stack.tenants.find((candidate) => !listened.has(candidate.slug));
  if (!tenant) throw new Error("the demo needs a third tenant nobody listens to");
  return tenant;
}

function isCreatedEvent(
  event: TicketEvent,
): event is Extract<TicketEvent, { type: "ticket.created" }> {
  return event.type === "ticket.created";
}

function isUpdatedEvent(
  event: TicketEvent,
): event is Extract<TicketEvent, { type: "ticket.updated" }> {
  return event.type === "ticket.updated";
}

function idsOfTenant(slug: string): Set<string> {
  return new Set([...acceptedTickets].filter(([, owner]) => owner === slug).map(([id]) => id));
}

function webhookIdFor(externalId: string): string {
  return `msg_cfpb_${externalId}`;
}

async function sendComplaint(stack: E2eStack, complaint: DemoComplaint): Promise<Response> {
  return sendSignedTicket(stack.url, stack.tenant(complaint.tenantSlug), complaint.ticket, {
    webhookId: webhookIdFor(complaint.ticket.externalId),
  });
}

function markerTicket(externalId: string) {
  return {
    externalId,
    subject: `Marker ticket ${externalId}`,
    body: `This ticket checks the signature path: ${externalId}.`,
    customer: { name: "Test Customer", email: "test.customer@customers.example" },
  };
}

/** Forty characters from the middle of the narrative: long enough to be found nowhere else. */
function narrativeSample(complaint: DemoComplaint): string {
  const body = complaint.ticket.body;
  const start = Math.max(0, Math.floor(body.length / 2) - 20);
  return body.slice(start, start + 40);
}

/** The demo complaints' rows only, leaving out the marker tickets of later tests. */
/**
 * A burst that straddles a minute boundary of Miniflare's wall-clock windows would be
 * counted in two windows; start it early in a window instead (waits at most 8 s).
 */
async function waitForFreshRateWindow(): Promise<void> {
  const leftInWindowMs = RATE_WINDOW_MS - (Date.now() % RATE_WINDOW_MS);
  if (leftInWindowMs < BURST_MARGIN_MS) {
    await new Promise((done) => setTimeout(done, leftInWindowMs + 50));
  }
}

async function readTicketRows(): Promise<TicketRow[]> {
  const result = await database.query<TicketRow>(
    `select t.id, t.tenant_id, t.external_id, t.webhook_id, s.label as sentiment_label
       from tickets t left join ticket_sentiments s on s.ticket_id = t.id
      where t.external_id = any($1)`,
    [complaints.map((complaint) => complaint.ticket.externalId)],
  );
  return result.rows;
}

async function readExternalIds(): Promise<string[]> {
  const result = await database.query<{ external_id: string }>("select external_id from tickets");
  return result.rows.map((row) => row.external_id);
}

async function postWebhookBody(
  stack: E2eStack,
  body: string | ReadableStream<Uint8Array>,
): Promise<Response> {
  return fetch(`${stack.url}/v1/tickets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    duplex: "half",
  } as RequestInit);
}

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const chunkBytes = 16 * 1024;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/** Logs in as a browser would (form post with the page's Origin); returns the session token. */
async function logIn(stack: E2eStack, tenant: DevTenant, clientIp: string): Promise<string> {
  const response = await fetch(`${stack.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      origin: stack.url,
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": clientIp,
    },
    body: new URLSearchParams({ email: tenant.agentEmail, password: tenant.agentPassword }),
  });
  expect(response.status, `login of ${tenant.agentEmail}`).toBe(303);
  expect(response.headers.get("location")).toBe("/tickets");
  const cookie = response.headers
    .getSetCookie()
    .find((header) => header.startsWith(`${SESSION_COOKIE}=`));
  const token = cookie?.slice(SESSION_COOKIE.length + 1).split(";")[0];
  if (!token) throw new Error(`login of ${tenant.agentEmail} set no ${SESSION_COOKIE} cookie`);
  return token;
}

async function openLiveClient(
  stack: E2eStack,
  tenant: DevTenant,
  token: string,
): Promise<LiveClient> {
  const socket = new WebSocket(`${stack.url.replace(/^http/, "ws")}/api/live`, {
    origin: stack.url,
    headers: { cookie: `${SESSION_COOKIE}=${token}` },
    handshakeTimeout: 10_000,
  });
  const client: LiveClient = { tenant, events: [], socket };
  socket.on("message", (data: WsModule.RawData) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(new Uint8Array(data));
    client.events.push(JSON.parse(bytes.toString("utf8")) as TicketEvent);
  });
  await new Promise<void>((opened, failed) => {
    socket.once("open", () => opened());
    socket.once("error", failed);
  });
  return client;
}

/** Attempts a handshake; returns the HTTP status it was refused with, or 101. */
async function tryOpenSocket(
  stack: E2eStack,
  options: { origin: string; cookie?: string },
): Promise<number> {
  const socket = new WebSocket(`${stack.url.replace(/^http/, "ws")}/api/live`, {
    origin: options.origin,
    headers: options.cookie ? { cookie: options.cookie } : {},
    handshakeTimeout: 10_000,
  });
  return new Promise<number>((settled, failed) => {
    socket.once("open", () => {
      socket.terminate();
      settled(101);
    });
    socket.once("unexpected-response", (_request, response) => {
      settled(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", failed);
  });
}
