import { Hono } from "hono";
import type { Context } from "hono";
import { createPostgresTicketReader } from "../../../shared/adapters/postgres-ticket-reader.ts";
import {
  buildClearedSessionCookie,
  buildSessionCookie,
  readCookie,
  SESSION_COOKIE,
} from "../../../shared/auth/session.ts";
import type { DatabaseHandle } from "../../../shared/db/client.ts";
import { openDatabase } from "../../../shared/db/client.ts";
import { readDatabaseConfig } from "../../../shared/db/database-env.ts";
import { requireMediaType } from "../../../shared/http/media-type.ts";
import {
  isProblem,
  Problem,
  renderInternalError,
  renderProblem,
} from "../../../shared/http/problem.ts";
import {
  BASELINE_SECURITY_HEADERS,
  DASHBOARD_CONTENT_SECURITY_POLICY,
} from "../../../shared/http/security-headers.ts";
import { sha256Hex } from "../../../shared/encoding.ts";
import { isUuid } from "../../../shared/ids.ts";
import { createLogger, describeError } from "../../../shared/log.ts";
import { DASHBOARD_SCRIPT } from "./client/dashboard-script.ts";
import { DASHBOARD_FAVICON, DASHBOARD_STYLE } from "./client/dashboard-style.ts";
import type { DashboardEnv } from "./env.ts";
import { authenticateAgent, loginFormSchema } from "./login.ts";
import { LOCKOUT_SECONDS } from "./login-throttle.ts";
import { renderLoginPage, renderTicketsPage } from "./pages.ts";
import { assertSameOrigin } from "./same-origin.ts";
import type { ActiveSession } from "./sessions.ts";
import { endSession, findSession, startSession } from "./sessions.ts";
import { HUB_AGENT_HEADER, HUB_SESSION_EXPIRES_HEADER, HUB_SESSION_HEADER } from "./tenant-hub.ts";

type DashboardContext = Context<{ Bindings: DashboardEnv }>;

const logger = createLogger({ worker: "dashboard" });
const LOGIN_FAILED_MESSAGE = "Email or password is incorrect.";

export const app = new Hono<{ Bindings: DashboardEnv }>();

app.use("*", async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  for (const [name, value] of Object.entries(BASELINE_SECURITY_HEADERS)) c.header(name, value);
  c.header("content-security-policy", DASHBOARD_CONTENT_SECURITY_POLICY);
  // Ticket text is personal data: no shared or browser cache may keep a copy.
  if (!c.req.path.startsWith("/assets/")) c.header("cache-control", "no-store");
});

app.onError((error, c) => {
  const requestId = c.req.header("x-request-id");
  if (isProblem(error)) return renderProblem(error, requestId);
  logger.log("error", "dashboard.unhandled", {
    requestId,
    route: c.req.path,
    ...describeError(error),
  });
  return renderInternalError(requestId);
});

app.notFound(() => {
  throw new Problem(404, "not_found", "No such resource.");
});

app.get("/healthz", (c) => c.text("ok"));

app.get("/assets/dashboard.js", (c) => {
  c.header("cache-control", "public, max-age=300");
  return c.body(DASHBOARD_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" });
});

app.get("/assets/dashboard.css", (c) => {
  c.header("cache-control", "public, max-age=300");
  return c.body(DASHBOARD_STYLE, 200, { "content-type": "text/css; charset=utf-8" });
});

app.get("/assets/favicon.svg", (c) => {
  c.header("cache-control", "public, max-age=86400");
  return c.body(DASHBOARD_FAVICON, 200, { "content-type": "image/svg+xml" });
});

app.get("/", (c) => c.redirect("/tickets", 303));

app.get("/login", async (c) => {
  if (await currentSession(c)) return c.redirect("/tickets", 303);
  return c.html(renderLoginPage());
});

app.post("/login", async (c) => {
  assertSameOrigin(c.req.raw);
  const form = loginFormSchema.safeParse(await readForm(c));
  if (!form.success) return c.html(renderLoginPage({ error: LOGIN_FAILED_MESSAGE }), 401);

  const throttle = await throttleFor(c, form.data.email);
  const attempt = await throttle.beginAttempt(Date.now());
  if (attempt.locked) return renderLockedOut(c, attempt.retryAfterSeconds);

  const agent = await withDatabase(c, (database) => authenticateAgent(database, form.data));
  if (!agent) {
    const requestId = c.req.header("x-request-id");
    logger.log("info", "auth.login_failed", { requestId });
    if (attempt.isLastBeforeLock) {
      logger.log("warn", "auth.login_locked", { requestId, lockSeconds: LOCKOUT_SECONDS });
      return renderLockedOut(c, LOCKOUT_SECONDS);
    }
    return c.html(renderLoginPage({ error: LOGIN_FAILED_MESSAGE, email: form.data.email }), 401);
  }
  await throttle.recordSuccess();

  const session = await startSession(c.env.SESSIONS, agent, new Date());
  logger.log("info", "auth.login", { agentId: agent.agentId, tenantId: agent.tenantId });
  c.header("set-cookie", buildSessionCookie(session.token));
  return c.redirect("/tickets", 303);
});

app.post("/logout", async (c) => {
  assertSameOrigin(c.req.raw);
  const session = await currentSession(c);
  if (session) {
    await endSession(c.env.SESSIONS, session);
    await hubFor(c, session.record.tenantId).closeSession(session.storeKey);
    logger.log("info", "auth.logout", { agentId: session.record.agentId });
  }
  c.header("set-cookie", buildClearedSessionCookie());
  return c.redirect("/login", 303);
});

app.get("/tickets", async (c) => {
  const session = await currentSession(c);
  if (!session) return c.redirect("/login", 303);
  return c.html(renderTicketsPage(session.record.email));
});

app.get("/api/tickets", async (c) => {
  const session = await requireSession(c);
  const tickets = await withDatabase(c, (database) =>
    createPostgresTicketReader(database).listTickets(session.record.tenantId),
  );
  return c.json({ tickets });
});

app.get("/api/tickets/:id", async (c) => {
  const session = await requireSession(c);
  const ticketId = c.req.param("id");
  // Another tenant's ticket and a ticket that does not exist get the same 404.
  const ticket = isUuid(ticketId)
    ? await withDatabase(c, (database) =>
        createPostgresTicketReader(database).findTicket(session.record.tenantId, ticketId),
      )
    : undefined;
  if (!ticket) throw new Problem(404, "not_found", "No such ticket.");
  return c.json({ ticket });
});

app.get("/api/live", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new Problem(426, "upgrade_required", "Open this endpoint as a WebSocket.", {
      headers: { upgrade: "websocket" },
    });
  }
  assertSameOrigin(c.req.raw);
  const session = await requireSession(c);
  const hubRequest = new Request("https://tenant-hub.internal/connect", {
    headers: {
      upgrade: "websocket",
      [HUB_AGENT_HEADER]: session.record.agentId,
      [HUB_SESSION_HEADER]: session.storeKey,
      [HUB_SESSION_EXPIRES_HEADER]: String(Date.parse(session.record.expiresAt)),
    },
  });
  return hubFor(c, session.record.tenantId).fetch(hubRequest);
});

async function currentSession(c: DashboardContext): Promise<ActiveSession | undefined> {
  return findSession(
    c.env.SESSIONS,
    readCookie(c.req.header("cookie") ?? null, SESSION_COOKIE),
    new Date(),
  );
}

async function requireSession(c: DashboardContext): Promise<ActiveSession> {
  const session = await currentSession(c);
  if (!session) throw new Problem(401, "unauthenticated", "Sign in to see tickets.");
  return session;
}

/** Keyed by the email's hash, so the lock holds for unknown emails as for real ones. */
async function throttleFor(c: DashboardContext, email: string) {
  const name = await sha256Hex(email.toLowerCase());
  return c.env.LOGIN_THROTTLE.get(c.env.LOGIN_THROTTLE.idFromName(name));
}

function renderLockedOut(c: DashboardContext, retryAfterSeconds: number) {
  c.header("retry-after", String(retryAfterSeconds));
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return c.html(
    renderLoginPage({ error: `Too many failed sign-ins. Try again in ${minutes} minutes.` }),
    429,
  );
}

function hubFor(c: DashboardContext, tenantId: string) {
  return c.env.TENANT_HUB.get(c.env.TENANT_HUB.idFromName(tenantId));
}

async function withDatabase<T>(
  c: DashboardContext,
  work: (database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(readDatabaseConfig("dashboard", "ticket_reader", c.env));
  try {
    return await work(database);
  } finally {
    c.executionCtx.waitUntil(database.close());
  }
}

async function readForm(c: DashboardContext): Promise<Record<string, string>> {
  requireMediaType(
    c.req.raw,
    "application/x-www-form-urlencoded",
    "Submit the form as application/x-www-form-urlencoded.",
  );
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch (error) {
    throw new Problem(400, "bad_request", "The form could not be read.", { cause: error });
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  return fields;
}
