import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoComplaint, TicketPayload } from "../../scripts/lib/complaint-to-ticket.ts";
import { loadDemoComplaints } from "../../scripts/lib/complaint-to-ticket.ts";
import { DEMO_CSV } from "../../scripts/lib/dev-stack.ts";
import type { DevTenant } from "../../scripts/lib/dev-state.ts";
import { sendSignedTicket } from "../../scripts/lib/webhook-client.ts";
import { SESSION_COOKIE } from "../../shared/auth/session.ts";
import type { E2eStack } from "./support/stack.ts";
import { useDevStack, waitFor } from "./support/stack.ts";

/** Debian's Chromium; the file is skipped, saying so, where it is not installed. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** How long an agent may wait for a live ticket, and every other page wait. */
const LIVE_TIMEOUT_MS = 10_000;
const SCREENSHOT_PATH = "/tmp/dashboard.png";
/** Tickets of the logged-in tenant that are already stored when the page first loads. */
const SEEDED_TICKETS = 6;

const XSS_TICKET: TicketPayload = {
  externalId: "xss-probe-1",
  subject: `<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> Refund`,
  body: [
    `Hello <img src=x onerror="window.__xss=1">`,
    `<script>window.__xss=1</script>`,
    `<a href="javascript:window.__xss=1">click for your refund</a>`,
    `<iframe src="javascript:window.__xss=1"></iframe>`,
  ].join("\n"),
  category: `<b onmouseover="window.__xss=1">Credit card</b>`,
  customer: { name: `<svg onload="window.__xss=1">`, email: "xss.probe@customers.example" },
};

const hasChromium = existsSync(CHROMIUM);
// CI must run these: .ci/run installs Chromium, so a missing browser there is a failure.
if (!hasChromium && process.env.CI) {
  throw new Error(
    `no Chromium at ${CHROMIUM}; install it (apt-get install chromium) or set CHROMIUM_PATH`,
  );
}
if (!hasChromium) {
  console.warn(`dashboard-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}
const complaints = loadDemoComplaints(await readFile(DEMO_CSV, "utf8"));

describe.skipIf(!hasChromium)("the dashboard in Chromium, as an agent sees it", () => {
  const useStack = useDevStack("browser");
  let browser: Browser;
  let page: Page;
  let database: pg.Client;
  let agentTenant: DevTenant;
  let otherTenant: DevTenant;
  /** Ticket ids from the 202 answers, by the tenant that signed them. */
  const ticketIds = { agent: [] as string[], other: [] as string[] };
  /** Every URL the page requested: an injected <img src=x> would show up here. */
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    const stack = useStack();
    [agentTenant, otherTenant] = pickTenants(stack);
    database = new pg.Client({ connectionString: stack.databaseAdminUrl });
    await database.connect();

    // Tickets stored before the agent logs in, for both tenants.
    for (const complaint of complaintsOf(agentTenant).slice(0, SEEDED_TICKETS)) {
      ticketIds.agent.push(await postTicket(stack, agentTenant, complaint.ticket));
    }
    const otherSeed = firstOf(complaintsOf(otherTenant));
    ticketIds.other.push(await postTicket(stack, otherTenant, otherSeed.ticket));
    await waitUntilAnalysed([...ticketIds.agent, ...ticketIds.other]);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(LIVE_TIMEOUT_MS);
    page = await context.newPage();
    page.on("request", (request) => requestedUrls.push(request.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await database?.end();
  });

  it("logs an agent in through the form and lists the tenant's own tickets", async () => {
    const stack = useStack();
    await page.goto(`${stack.url}/login`);

    await page.fill("#email", agentTenant.agentEmail);
    await page.fill("#password", agentTenant.agentPassword);
    const [login] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/login") && r.request().method() === "POST"),
      page.click("button[type=submit]"),
    ]);

    // A refused login shows here as its status (403 csrf_rejected, 401), not as a timeout.
    expect(login.status()).toBe(303);
    await page.waitForURL(`${stack.url}/tickets`);
    await waitForLiveStatus(page);
    for (const id of ticketIds.agent) await page.locator(rowOf(id)).waitFor();
    expect(await page.locator("li.ticket").count()).toBe(SEEDED_TICKETS);
    expect(await page.locator("#ticket-count").textContent()).toBe(String(SEEDED_TICKETS));
    expect(await page.locator(rowOf(firstOf(ticketIds.other))).count()).toBe(0);
  });

  it("shows a ticket posted by webhook live, with its sentiment, without reloading", async () => {
    const stack = useStack();
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    const otherComplaint = firstOf(complaintsOf(otherTenant).slice(1));
    const agentComplaint = firstOf(complaintsOf(agentTenant).slice(SEEDED_TICKETS));

    // The other tenant's ticket goes first: had it leaked, it would arrive before ours.
    const otherId = await postTicket(stack, otherTenant, otherComplaint.ticket);
    const liveId = await postTicket(stack, agentTenant, agentComplaint.ticket);
    ticketIds.other.push(otherId);
    ticketIds.agent.push(liveId);

    const label = await page.waitForFunction(
      (id) => {
        const badge = document.querySelector(`li[data-ticket-id="${id}"] .sentiment`);
        const value = badge instanceof HTMLElement ? badge.dataset.label : undefined;
        return value && value !== "pending" ? value : undefined;
      },
      liveId,
      { timeout: LIVE_TIMEOUT_MS },
    );
    expect(["positive", "neutral", "negative"]).toContain(await label.jsonValue());
    expect(await page.locator(`${rowOf(liveId)} .ticket-subject`).textContent()).toBe(
      agentComplaint.ticket.subject,
    );
    // The newest ticket is on top, and the page is the same document: no reload happened.
    expect(await page.locator("li.ticket").first().getAttribute("data-ticket-id")).toBe(liveId);
    expect(await page.evaluate(() => "__sameDocument" in window)).toBe(true);
    expect(await page.locator(rowOf(otherId)).count()).toBe(0);
  });

  it("never shows another tenant's ticket, in the list or by its id", async () => {
    const shown = await page
      .locator("li.ticket")
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.ticketId));
    const statuses = await page.evaluate(
      (ids) => Promise.all(ids.map((id) => fetch(`/api/tickets/${id}`).then((r) => r.status))),
      ticketIds.other,
    );
    const ownStatus = await page.evaluate(
      (id) => fetch(`/api/tickets/${id}`).then((r) => r.status),
      firstOf(ticketIds.agent),
    );

    expect(shown.sort()).toEqual([...ticketIds.agent].sort());
    expect(ticketIds.other.filter((id) => shown.includes(id))).toEqual([]);
    // Another tenant's ticket is "not found", exactly like one that does not exist.
    expect(statuses).toEqual(ticketIds.other.map(() => 404));
    expect(ownStatus).toBe(200);
  });

  it("shows markup in a ticket as literal text and runs none of it", async () => {
    const stack = useStack();

    const id = await postTicket(stack, agentTenant, XSS_TICKET);
    ticketIds.agent.push(id);
    await page.locator(`${rowOf(id)} .sentiment:not([data-label="pending"])`).waitFor();
    await page.locator(rowOf(id)).click();
    await page.locator("#ticket-detail .detail-body").waitFor();

    const row = page.locator(rowOf(id));
    expect(await row.locator(".ticket-subject").textContent()).toBe(XSS_TICKET.subject);
    expect(await row.locator(".ticket-customer").textContent()).toBe(XSS_TICKET.customer.name);
    expect(await row.locator(".ticket-category").textContent()).toBe(XSS_TICKET.category);
    expect(await page.locator("#ticket-detail .detail-subject").textContent()).toBe(
      XSS_TICKET.subject,
    );
    expect(await page.locator("#ticket-detail .detail-body").textContent()).toBe(XSS_TICKET.body);
    await expectNoInjectedMarkup(page);
    expect(requestedUrls.filter((url) => new URL(url).pathname === "/x")).toEqual([]);
  });

  it("opens a ticket and shows its whole body as text", async () => {
    const first = firstOf(complaintsOf(agentTenant));

    await page.locator(rowOf(firstOf(ticketIds.agent))).click();
    const detail = page.locator("#ticket-detail .detail-body");
    await page.waitForFunction(
      (subject) =>
        document.querySelector("#ticket-detail .detail-subject")?.textContent === subject,
      first.ticket.subject,
    );

    // The schema trims ticket text, so the stored body is the trimmed narrative.
    expect(await detail.textContent()).toBe(first.ticket.body.trim());
    expect(await detail.evaluate((node) => node.children.length)).toBe(0);
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: false });
  });

  it("keeps the session cookie away from the page's scripts", async () => {
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE);

    const visible = await page.evaluate(() => document.cookie);

    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    expect(visible).not.toContain(SESSION_COOKIE);
    expect(visible).not.toContain(session?.value ?? SESSION_COOKIE);
  });

  it("signs out to /login, after which /tickets redirects to /login", async () => {
    const stack = useStack();

    await page.click("header form button[type=submit]");
    await page.waitForURL(`${stack.url}/login`);
    const afterLogout = await page.goto(`${stack.url}/tickets`);

    expect(new URL(page.url()).pathname).toBe("/login");
    expect(afterLogout?.request().redirectedFrom()?.url()).toBe(`${stack.url}/tickets`);
    const session = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(session).toBeUndefined();
  });

  function complaintsOf(tenant: DevTenant): DemoComplaint[] {
    return complaints.filter((complaint) => complaint.tenantSlug === tenant.slug);
  }

  async function waitUntilAnalysed(ids: string[]): Promise<void> {
    await waitFor(
      async () => {
        const result = await database.query(
          "select 1 from ticket_sentiments where ticket_id = any($1::uuid[])",
          [ids],
        );
        return result.rowCount === ids.length ? true : undefined;
      },
      { timeoutMs: 20_000, description: `${ids.length} seeded tickets are stored and analysed` },
    );
  }
});

function pickTenants(stack: E2eStack): [DevTenant, DevTenant] {
  // The tenant with the most demo complaints logs in; the next one must stay invisible.
  const bySize = [...stack.tenants].sort(
    (a, b) => countComplaints(b.slug) - countComplaints(a.slug),
  );
  const [agent, other] = bySize;
  if (!agent || !other) throw new Error("the demo needs at least two tenants");
  return [agent, other];
}

function countComplaints(slug: string): number {
  return complaints.filter((complaint) => complaint.tenantSlug === slug).length;
}

async function postTicket(
  stack: E2eStack,
  tenant: DevTenant,
  ticket: TicketPayload,
): Promise<string> {
  const response = await sendSignedTicket(stack.url, tenant, ticket, {
    webhookId: `msg_browser_${ticket.externalId}`,
  });
  expect(response.status, `ticket ${ticket.externalId}`).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

function firstOf<T>(items: readonly T[]): T {
  const [first] = items;
  if (first === undefined) throw new Error("expected at least one item");
  return first;
}

function rowOf(ticketId: string): string {
  return `li.ticket[data-ticket-id="${ticketId}"]`;
}

async function waitForLiveStatus(page: Page): Promise<void> {
  await page.locator('#live-status[data-state="live"]').waitFor();
}

/** Nothing from the payload became an element, and none of its script ran. */
async function expectNoInjectedMarkup(page: Page): Promise<void> {
  const found = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: unknown }).__xss,
    images: document.querySelectorAll("img").length,
    iframes: document.querySelectorAll("iframe").length,
    svgs: document.querySelectorAll("svg").length,
    bold: document.querySelectorAll("b").length,
    scripts: [...document.querySelectorAll("script")].map((script) => script.getAttribute("src")),
    javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
    handlers: [...document.querySelectorAll("*")].filter((node) =>
      [...node.attributes].some((attribute) => attribute.name.startsWith("on")),
    ).length,
  }));
  expect(found).toEqual({
    xss: undefined,
    images: 0,
    iframes: 0,
    svgs: 0,
    bold: 0,
    scripts: ["/assets/dashboard.js"],
    javascriptLinks: 0,
    handlers: 0,
  });
}
