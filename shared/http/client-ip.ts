/**
 * Cloudflare sets CF-Connecting-IP at its edge and overwrites any value a client sends,
 * so it is the one client address we can key limits on. `wrangler dev` sets it too.
 */
export function readClientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "unknown";
}
