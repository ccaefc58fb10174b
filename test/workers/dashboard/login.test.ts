import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DASHBOARD_CONTENT_SECURITY_POLICY } from "../../../shared/http/security-headers.ts";
import type { DashboardEnv } from "../../../workers/dashboard/src/env.ts";
import {
  DASHBOARD_ORIGIN,
  fetchDashboard,
  logIn,
  submitLogin,
} from "../support/dashboard-client.ts";
import { readTestDatabase, tenantAt } from "../support/test-database.ts";

/**
 * The dashboard's login and logout inside workerd: real KV sessions, and agents
 * looked up in the run's Postgres through auth_find_agent as ticket_reader.
 */

const dashboardEnv = env as unknown as DashboardEnv & { TEST_DATABASE: string };
const database = readTestDatabase(dashboardEnv.TEST_DATABASE);
const alpha = tenantAt(database, 0);

describe("POST /login", () => {
  it("signs in with the right password: 303 to /tickets and a locked-down session cookie", async () => {
    const response = await submitLogin({ email: alpha.agentEmail, password: alpha.agentPassword });

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/tickets");
    const cookie = response.headers.get("set-cookie") ?? "";
    const [pair, ...attributes] = cookie.split(";").map((part) => part.trim());
    expect(pair).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(
      expect.arrayContaining(["HttpOnly", "Secure", "SameSite=Strict", "Path=/"]),
    );
    expect(attributes.some((attribute) => /^domain=/i.test(attribute))).toBe(false);
    const tickets = await fetchDashboard("/api/tickets", {}, { cookie: pair });
    expect(tickets.status).toBe(200);
  });

  it("gives a wrong password and an unknown email the same 401 page, and no cookie", async () => {
    const unknownEmail = "nobody@alpha-bank.example";

    const wrongPassword = await submitLogin({
      email: alpha.agentEmail,
      password: "not-the-password-at-all",
    });
    const unknownAccount = await submitLogin({
      email: unknownEmail,
      password: alpha.agentPassword,
    });

    expect([wrongPassword.status, unknownAccount.status]).toEqual([401, 401]);
    expect(wrongPassword.headers.get("set-cookie")).toBeNull();
    expect(unknownAccount.headers.get("set-cookie")).toBeNull();
    // The form echoes the email typed; apart from that the two pages must not differ.
    const wrongPasswordPage = (await wrongPassword.text()).replaceAll(alpha.agentEmail, "EMAIL");
    const unknownAccountPage = (await unknownAccount.text()).replaceAll(unknownEmail, "EMAIL");
    expect(wrongPasswordPage).toBe(unknownAccountPage);
    expect(wrongPasswordPage).toContain("Email or password is incorrect.");
  });

  it.each([
    { name: "a tautology in both fields", email: "' OR '1'='1' --", password: "' OR '1'='1' --" },
    {
      name: "a comment after the real email",
      email: `${alpha.agentEmail}' --`,
      password: "anything",
    },
    {
      name: "a stacked drop table",
      email: `${alpha.agentEmail}'; drop table agents; --`,
      password: "x",
    },
    {
      name: "a union select of every hash",
      email: "x' UNION SELECT id, tenant_id, email, password_hash, role FROM agents --",
      password: "x",
    },
    { name: "a LIKE wildcard", email: "%", password: "anything" },
    { name: "a tautology as password", email: alpha.agentEmail, password: "' OR '1'='1" },
    {
      name: "the real password plus a tautology",
      email: alpha.agentEmail,
      password: `${alpha.agentPassword}' OR 'a'='a`,
    },
    // Postgres refuses text containing NUL outright; that must not surface as a 500.
    {
      name: "a NUL byte after the real email",
      email: `${alpha.agentEmail}\u0000`,
      password: alpha.agentPassword,
    },
  ])("refuses $name with 401 and leaves the agents table intact", async ({ email, password }) => {
    const response = await submitLogin({ email, password });

    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    const stillWorks = await submitLogin({
      email: alpha.agentEmail,
      password: alpha.agentPassword,
    });
    expect(stillWorks.status).toBe(303);
  });

  it.each([
    ["no Origin", null],
    ["a foreign Origin", "https://evil.example"],
    ["an Origin that only starts like ours", `${DASHBOARD_ORIGIN}.evil.example`],
    ["our host over plain http", DASHBOARD_ORIGIN.replace("https:", "http:")],
    ["the opaque null Origin", "null"],
  ])(
    "refuses a login with %s as csrf_rejected, even with the right password",
    async (_name, origin) => {
      const response = await submitLogin(
        { email: alpha.agentEmail, password: alpha.agentPassword },
        { origin },
      );

      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 403, code: "csrf_rejected" });
      expect(response.headers.get("set-cookie")).toBeNull();
    },
  );

  it.each([
    [
      "JSON",
      "application/json",
      JSON.stringify({ email: alpha.agentEmail, password: alpha.agentPassword }),
    ],
    ["plain text", "text/plain", `email=${alpha.agentEmail}&password=${alpha.agentPassword}`],
  ])("refuses a %s login body with 415", async (_name, contentType, body) => {
    const response = await fetchDashboard(
      "/login",
      { method: "POST", body },
      { headers: { "content-type": contentType } },
    );

    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: "unsupported_media_type" });
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});

describe("GET /login", () => {
  it("serves the form with the strict CSP, no-store and the baseline headers", async () => {
    const response = await fetchDashboard("/login");

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("sends a signed-in agent on to /tickets", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard("/login", {}, { cookie });

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/tickets");
  });
});

describe("POST /logout", () => {
  it("ends the session, so the old cookie no longer opens anything", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard("/logout", { method: "POST" }, { cookie });

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login");
    expect(response.headers.get("set-cookie")).toMatch(/^__Host-session=;.*Max-Age=0/);
    const api = await fetchDashboard("/api/tickets", {}, { cookie });
    expect(api.status).toBe(401);
    const page = await fetchDashboard("/tickets", {}, { cookie });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login");
  });

  it("refuses a cross-site logout and leaves the session alone", async () => {
    const cookie = await logIn(alpha);

    const response = await fetchDashboard(
      "/logout",
      { method: "POST" },
      { cookie, origin: "https://evil.example" },
    );

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "csrf_rejected" });
    expect((await fetchDashboard("/api/tickets", {}, { cookie })).status).toBe(200);
  });
});
