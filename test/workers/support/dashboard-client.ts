import { exports } from "cloudflare:workers";

/**
 * Requests to the dashboard worker as the edge forwards them: same URL, the browser's
 * Origin and Cookie headers. The origin is arbitrary but fixed, because the worker
 * compares Origin with its own request URL.
 */
export const DASHBOARD_ORIGIN = "https://dashboard.example";

const dashboard = (exports as unknown as { default: Fetcher }).default;

export interface BrowserContext {
  cookie?: string;
  /** null sends no Origin header at all. */
  origin?: string | null;
  headers?: Record<string, string>;
}

export function fetchDashboard(
  path: string,
  init: { method?: string; body?: BodyInit } = {},
  browser: BrowserContext = {},
): Promise<Response> {
  const headers = new Headers(browser.headers);
  if (browser.cookie) headers.set("cookie", browser.cookie);
  const origin = browser.origin === undefined ? DASHBOARD_ORIGIN : browser.origin;
  if (origin !== null) headers.set("origin", origin);
  return dashboard.fetch(
    new Request(new URL(path, DASHBOARD_ORIGIN), { ...init, headers, redirect: "manual" }),
  );
}

/** A browser's login form submission. */
export function submitLogin(
  fields: { email: string; password: string },
  browser: BrowserContext = {},
): Promise<Response> {
  return fetchDashboard(
    "/login",
    { method: "POST", body: new URLSearchParams(fields).toString() },
    {
      ...browser,
      headers: { "content-type": "application/x-www-form-urlencoded", ...browser.headers },
    },
  );
}

/** Logs in and returns the Cookie header a browser would send afterwards. */
export async function logIn(credentials: {
  agentEmail: string;
  agentPassword: string;
}): Promise<string> {
  const response = await submitLogin({
    email: credentials.agentEmail,
    password: credentials.agentPassword,
  });
  if (response.status !== 303) throw new Error(`login failed with ${response.status}`);
  const setCookie = response.headers.get("set-cookie") ?? "";
  const pair = setCookie.split(";")[0];
  if (!pair?.startsWith("__Host-session="))
    throw new Error(`login set no session cookie: ${setCookie}`);
  return pair;
}
