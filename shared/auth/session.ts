import { encodeBase64Url, sha256Hex } from "../encoding.ts";

/**
 * Sessions are opaque random tokens. The cookie holds the token; the store holds only
 * its SHA-256, so a leaked store cannot be replayed as cookies.
 */
export const SESSION_COOKIE = "__Host-session";
/** OWASP session guidance: idle timeouts of 15-30 minutes for sensitive applications. */
export const SESSION_TTL_SECONDS = 30 * 60;
/** 256 bits of entropy, well above OWASP's 64-bit minimum for session ids. */
const SESSION_TOKEN_BYTES = 32;
const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionRecord {
  agentId: string;
  tenantId: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

export function createSessionToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(SESSION_TOKEN_BYTES)));
}

export function isWellFormedSessionToken(token: string): boolean {
  return SESSION_TOKEN_PATTERN.test(token);
}

export async function sessionStoreKey(token: string): Promise<string> {
  return `session:${await sha256Hex(token)}`;
}

/**
 * `__Host-` pins the cookie to this exact origin, over HTTPS, for every path.
 * HttpOnly keeps it from scripts; SameSite=Strict keeps it off cross-site requests.
 */
export function buildSessionCookie(token: string, maxAgeSeconds = SESSION_TTL_SECONDS): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;
}

export function buildClearedSessionCookie(): string {
  return buildSessionCookie("", 0);
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
