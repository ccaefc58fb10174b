import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DashboardEnv } from "../../../workers/dashboard/src/env.ts";
import {
  FAILED_LOGIN_WINDOW_SECONDS,
  LOCKOUT_SECONDS,
  MAX_FAILED_LOGINS,
} from "../../../workers/dashboard/src/login-throttle.ts";
import { submitLogin } from "../support/dashboard-client.ts";
import { readTestDatabase, tenantAt } from "../support/test-database.ts";

/**
 * The lockout policy: five failed sign-ins for one login name lock it for fifteen
 * minutes, whether or not the account exists, and the right password does not open it.
 */

const dashboardEnv = env as unknown as DashboardEnv & { TEST_DATABASE: string };
const database = readTestDatabase(dashboardEnv.TEST_DATABASE);
const gamma = tenantAt(database, 2);
const beta = tenantAt(database, 1);

async function failSignIns(email: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < count; attempt++) {
    const response = await submitLogin({ email, password: `wrong-password-${attempt}` });
    statuses.push(response.status);
  }
  return statuses;
}

describe("login lockout", () => {
  it("locks an account after five failures, even against the right password", async () => {
    const statuses = await failSignIns(gamma.agentEmail, MAX_FAILED_LOGINS);

    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const rightPassword = await submitLogin({
      email: gamma.agentEmail,
      password: gamma.agentPassword,
    });
    expect(rightPassword.status).toBe(429);
    expect(Number(rightPassword.headers.get("retry-after"))).toBeGreaterThan(LOCKOUT_SECONDS - 60);
    expect(rightPassword.headers.get("set-cookie")).toBeNull();
    expect(await rightPassword.text()).toContain("Too many failed sign-ins");
  });

  it("locks an unknown email exactly like a real one, so the lock reveals no account", async () => {
    const statuses = await failSignIns("nobody-here@gamma-loans.example", MAX_FAILED_LOGINS + 1);

    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it("counts the lowercased email, so changing case does not reset the count", async () => {
    const email = "Case-Games@alpha-bank.example";
    await failSignIns(email, MAX_FAILED_LOGINS - 1);

    const statuses = await failSignIns(email.toUpperCase(), 1);

    expect(statuses).toEqual([429]);
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    await failSignIns(beta.agentEmail, MAX_FAILED_LOGINS - 1);
    const success = await submitLogin({ email: beta.agentEmail, password: beta.agentPassword });

    const statuses = await failSignIns(beta.agentEmail, MAX_FAILED_LOGINS - 1);

    expect(success.status).toBe(303);
    expect(statuses).toEqual([401, 401, 401, 401]);
    // Leave beta unlocked and uncounted for other tests.
    expect(
      (await submitLogin({ email: beta.agentEmail, password: beta.agentPassword })).status,
    ).toBe(303);
  });

  it("unlocks after the lockout period and ignores attempts older than the window", async () => {
    const throttle = dashboardEnv.LOGIN_THROTTLE.get(
      dashboardEnv.LOGIN_THROTTLE.idFromName("clock-test"),
    );
    const start = Date.UTC(2026, 0, 1);

    for (let attempt = 0; attempt < MAX_FAILED_LOGINS - 1; attempt++) {
      await throttle.beginAttempt(start);
    }
    const afterWindow = start + FAILED_LOGIN_WINDOW_SECONDS * 1000 + 1;
    const stillOpen = await throttle.beginAttempt(afterWindow);
    for (let attempt = 0; attempt < MAX_FAILED_LOGINS - 1; attempt++) {
      await throttle.beginAttempt(afterWindow);
    }
    const locked = await throttle.beginAttempt(afterWindow);
    const later = await throttle.check(afterWindow + LOCKOUT_SECONDS * 1000 + 1);

    expect(stillOpen.locked).toBe(false);
    expect(locked).toMatchObject({ locked: true, retryAfterSeconds: LOCKOUT_SECONDS });
    expect(later.locked).toBe(false);
  });

  it("checks at most five passwords when guesses arrive all at once", async () => {
    // Regression: the lock was checked before and counted after the password check, so
    // every request of a concurrent burst passed the check before any failure counted.
    const email = "burst-target@alpha-bank.example";
    const guesses = Array.from({ length: 12 }, (_, index) =>
      submitLogin({ email, password: `concurrent-guess-${index}` }),
    );

    const statuses = (await Promise.all(guesses)).map((response) => response.status);

    expect(statuses.filter((status) => status === 401)).toHaveLength(MAX_FAILED_LOGINS - 1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - (MAX_FAILED_LOGINS - 1));
  });

  it("refuses a non-ASCII spelling of a real email, even with the right password", async () => {
    // Regression: Postgres lowercases "İ" to "i" but JavaScript to "i̇", so the dotted
    // spelling found the same agent under a new, empty lockout counter: five more
    // guesses per spelling, and a way into a locked account.
    const dotted = beta.agentEmail.replace("i", "\u0130");

    const response = await submitLogin({ email: dotted, password: beta.agentPassword });

    expect(dotted).not.toBe(beta.agentEmail);
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});
