import { Problem } from "../../../shared/http/problem.ts";

/**
 * Cross-site request forgery and cross-site WebSocket hijacking both arrive with a
 * foreign Origin. Browsers always send Origin on POST and on WebSocket handshakes, so a
 * missing one means a non-browser client, which has no business on these routes either.
 * SameSite=Strict on the session cookie is the second, independent layer.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null || origin !== new URL(request.url).origin) {
    throw new Problem(
      403,
      "csrf_rejected",
      "This request must come from the dashboard's own pages.",
    );
  }
}
