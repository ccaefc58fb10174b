import { createRequire } from "node:module";
import type * as WsModule from "ws";
import type { DevTenant } from "../../scripts/lib/dev-state.ts";

const WebSocket = createRequire(import.meta.url)("ws") as typeof WsModule.WebSocket;

/** Signs in through the real login form and returns the session cookie's `name=value`. */
export async function signIn(baseUrl: string, tenant: DevTenant): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: baseUrl, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: tenant.agentEmail, password: tenant.agentPassword }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 303 || !cookie) throw new Error(`login failed with ${response.status}`);
  return cookie;
}

/** Opens one live-updates socket as a browser would: same Origin, session cookie. */
export async function openLiveSocket(baseUrl: string, cookie: string): Promise<WsModule.WebSocket> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/live`, {
    headers: { origin: baseUrl, cookie },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`live socket refused with ${response.statusCode}`)),
    );
  });
  return socket;
}
