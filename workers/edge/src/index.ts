import { readBodyWithLimit } from "../../../shared/http/body.ts";
import { rateLimitKey, readClientIp } from "../../../shared/http/client-ip.ts";
import {
  isProblem,
  Problem,
  renderInternalError,
  renderProblem,
} from "../../../shared/http/problem.ts";
import { withSecurityHeaders } from "../../../shared/http/security-headers.ts";
import { createUuidV7 } from "../../../shared/ids.ts";
import { createLogger, describeError } from "../../../shared/log.ts";
import type { EdgeEnv } from "./env.ts";
import { findRoute } from "./routes.ts";

const logger = createLogger({ worker: "edge" });

export default {
  async fetch(request, env): Promise<Response> {
    const requestId = createUuidV7();
    let url: URL | undefined;
    try {
      url = parseRequestUrl(request);
      const response = await forward(request, url, env, requestId);
      return withRequestId(withSecurityHeaders(response), requestId);
    } catch (error) {
      if (isProblem(error)) {
        return withRequestId(withSecurityHeaders(renderProblem(error, requestId)), requestId);
      }
      logger.log("error", "edge.unhandled", {
        requestId,
        route: url?.pathname,
        ...describeError(error),
      });
      return withRequestId(withSecurityHeaders(renderInternalError(requestId)), requestId);
    }
  },
} satisfies ExportedHandler<EdgeEnv>;

async function forward(
  request: Request,
  url: URL,
  env: EdgeEnv,
  requestId: string,
): Promise<Response> {
  const route = findRoute(url.pathname);
  if (!route) throw new Problem(404, "not_found", "No such resource.");
  if (!route.methods.includes(request.method)) {
    throw new Problem(405, "method_not_allowed", `Use ${route.methods.join(" or ")} here.`, {
      headers: { allow: route.methods.join(", ") },
    });
  }

  const limiter =
    request.method === "POST" ? (route.postRateLimit ?? route.rateLimit) : route.rateLimit;
  const { success } = await env[limiter].limit({ key: rateLimitKey(readClientIp(request)) });
  if (!success) {
    throw new Problem(429, "rate_limited", "Too many requests from this address; slow down.", {
      headers: { "retry-after": "60" },
    });
  }

  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const hasBody = request.method === "POST";
  // Buffering a capped body here means nothing behind the edge ever reads an unbounded one.
  const body = hasBody ? await readBodyWithLimit(request, route.maxBodyBytes) : null;
  const upstream = new Request(url, { method: request.method, headers, body, redirect: "manual" });
  return route.target === "ingest" ? env.INGEST.fetch(upstream) : env.DASHBOARD.fetch(upstream);
}

function parseRequestUrl(request: Request): URL {
  try {
    return new URL(request.url);
  } catch (error) {
    throw new Problem(400, "bad_request", "The request target is not a URL.", { cause: error });
  }
}

function withRequestId(response: Response, requestId: string): Response {
  if (response.status === 101) return response;
  response.headers.set("x-request-id", requestId);
  return response;
}
