/**
 * Edge policy as data: what may pass, how big, and under which rate limit. Everything
 * not listed here is refused at the edge before any other worker runs.
 */

/** A ticket is JSON text: 20,000 characters of body, a few short fields, JSON escaping. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** The login form is two short fields. */
export const MAX_DASHBOARD_BODY_BYTES = 8 * 1024;

export type RouteTarget = "ingest" | "dashboard";
export type RateLimitName =
  "WEBHOOK_RATE_LIMITER" | "DASHBOARD_RATE_LIMITER" | "LOGIN_RATE_LIMITER";

export interface EdgeRoute {
  target: RouteTarget;
  methods: readonly string[];
  maxBodyBytes: number;
  rateLimit: RateLimitName;
  /** A stricter limit for POST, where one exists (password guessing). */
  postRateLimit?: RateLimitName;
}

const WEBHOOK: EdgeRoute = {
  target: "ingest",
  methods: ["POST"],
  maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
  rateLimit: "WEBHOOK_RATE_LIMITER",
};
const LOGIN: EdgeRoute = {
  target: "dashboard",
  methods: ["GET", "HEAD", "POST"],
  maxBodyBytes: MAX_DASHBOARD_BODY_BYTES,
  rateLimit: "DASHBOARD_RATE_LIMITER",
  postRateLimit: "LOGIN_RATE_LIMITER",
};
const DASHBOARD_PAGE: EdgeRoute = {
  target: "dashboard",
  methods: ["GET", "HEAD"],
  maxBodyBytes: 0,
  rateLimit: "DASHBOARD_RATE_LIMITER",
};
const DASHBOARD_FORM: EdgeRoute = {
  ...DASHBOARD_PAGE,
  methods: ["POST"],
  maxBodyBytes: MAX_DASHBOARD_BODY_BYTES,
};

const EXACT_ROUTES: ReadonlyMap<string, EdgeRoute> = new Map([
  ["/v1/tickets", WEBHOOK],
  ["/login", LOGIN],
  ["/logout", DASHBOARD_FORM],
  ["/", DASHBOARD_PAGE],
  ["/tickets", DASHBOARD_PAGE],
  ["/api/tickets", DASHBOARD_PAGE],
  ["/api/live", DASHBOARD_PAGE],
  ["/healthz", DASHBOARD_PAGE],
]);

const PREFIX_ROUTES: readonly [string, EdgeRoute][] = [
  ["/api/tickets/", DASHBOARD_PAGE],
  ["/assets/", DASHBOARD_PAGE],
];

export function findRoute(pathname: string): EdgeRoute | undefined {
  const exact = EXACT_ROUTES.get(pathname);
  if (exact) return exact;
  return PREFIX_ROUTES.find(([prefix]) => pathname.startsWith(prefix))?.[1];
}
