import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildClearedSessionCookie,
  buildSessionCookie,
  createSessionToken,
  isWellFormedSessionToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  sessionStoreKey,
} from "../../shared/auth/session.ts";

const TOKEN_COUNT = 1_000;

/** Splits a Set-Cookie value into its name=value pair and its attributes, lower-cased. */
function parseSetCookie(header: string): { pair: string; attributes: Map<string, string> } {
  const [pair = "", ...rest] = header.split(";").map((part) => part.trim());
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const [name = "", value = ""] = attribute.split("=");
    attributes.set(name.toLowerCase(), value);
  }
  return { pair, attributes };
}

describe("createSessionToken", () => {
  it("makes 43-character base64url tokens carrying 256 bits", () => {
    const token = createSessionToken();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(isWellFormedSessionToken(token)).toBe(true);
  });

  it(`never repeats over ${TOKEN_COUNT} tokens, and every bit position varies`, () => {
    const tokens = Array.from({ length: TOKEN_COUNT }, () => createSessionToken());

    expect(new Set(tokens).size).toBe(TOKEN_COUNT);

    // A stuck bit would mean less entropy than the length promises.
    let anyOnes = Buffer.alloc(32);
    let allOnes = Buffer.alloc(32, 0xff);
    for (const token of tokens) {
      const bytes = Buffer.from(token, "base64url");
      anyOnes = Buffer.from(anyOnes.map((byte, index) => byte | (bytes[index] ?? 0)));
      allOnes = Buffer.from(allOnes.map((byte, index) => byte & (bytes[index] ?? 0)));
    }
    expect(anyOnes.every((byte) => byte === 0xff)).toBe(true);
    expect(allOnes.every((byte) => byte === 0)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["one character short", "a".repeat(42)],
    ["one character long", "a".repeat(44)],
    ["standard base64", `${"a".repeat(41)}+/`],
    ["padded", `${"a".repeat(42)}=`],
    ["with a cookie separator", `${"a".repeat(42)};`],
  ])("does not take a token that is %s as well-formed", (_label, token) => {
    expect(isWellFormedSessionToken(token)).toBe(false);
  });
});

describe("buildSessionCookie", () => {
  it("sets a __Host- cookie that is HttpOnly, Secure, SameSite=Strict, Path=/ and has no Domain", () => {
    const token = createSessionToken();

    const { pair, attributes } = parseSetCookie(buildSessionCookie(token));

    expect(SESSION_COOKIE.startsWith("__Host-")).toBe(true);
    expect(pair).toBe(`${SESSION_COOKIE}=${token}`);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.get("samesite")).toBe("Strict");
    // Browsers drop a __Host- cookie that has a Domain or a Path other than "/".
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("domain")).toBe(false);
    expect(attributes.get("max-age")).toBe(String(SESSION_TTL_SECONDS));
  });

  it("expires with the session's idle timeout of at most 30 minutes", () => {
    expect(SESSION_TTL_SECONDS).toBeLessThanOrEqual(30 * 60);
    expect(SESSION_TTL_SECONDS).toBeGreaterThan(0);
  });

  it("clears the cookie with an empty value, Max-Age=0 and the same attributes", () => {
    const { pair, attributes } = parseSetCookie(buildClearedSessionCookie());

    expect(pair).toBe(`${SESSION_COOKIE}=`);
    expect(attributes.get("max-age")).toBe("0");
    // Without the same Path and Secure, a browser would keep the original cookie.
    expect(attributes.get("path")).toBe("/");
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Strict");
    expect(attributes.has("domain")).toBe(false);
  });
});

describe("readCookie", () => {
  it("finds the cookie among others, wherever it sits", () => {
    expect(readCookie(`${SESSION_COOKIE}=abc`, SESSION_COOKIE)).toBe("abc");
    expect(readCookie(`theme=dark; ${SESSION_COOKIE}=abc; lang=en`, SESSION_COOKIE)).toBe("abc");
    expect(readCookie(`theme=dark;${SESSION_COOKIE}=abc`, SESSION_COOKIE)).toBe("abc");
  });

  it("tolerates spaces around names and values", () => {
    expect(readCookie(`  ${SESSION_COOKIE}  =  abc  ; x=1`, SESSION_COOKIE)).toBe("abc");
  });

  it("keeps an equals sign that is part of the value", () => {
    expect(readCookie(`${SESSION_COOKIE}=a=b==`, SESSION_COOKIE)).toBe("a=b==");
  });

  it("does not match a cookie whose name only contains or extends the name", () => {
    expect(readCookie(`x${SESSION_COOKIE}=evil`, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(`${SESSION_COOKIE}x=evil`, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie("session=evil", SESSION_COOKIE)).toBeUndefined();
    // Cookie names are case-sensitive (RFC 6265 section 5.4).
    expect(readCookie(`${SESSION_COOKIE.toLowerCase()}=evil`, SESSION_COOKIE)).toBeUndefined();
  });

  it("returns undefined when the header or the cookie is missing", () => {
    expect(readCookie(null, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie("", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie("theme=dark; lang=en", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(`${SESSION_COOKIE}; theme=dark`, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(";;;", SESSION_COOKIE)).toBeUndefined();
  });

  it("returns an empty string for a cleared cookie, which no token matches", () => {
    const value = readCookie(`${SESSION_COOKIE}=`, SESSION_COOKIE);

    expect(value).toBe("");
    expect(isWellFormedSessionToken(value ?? "")).toBe(false);
  });
});

describe("sessionStoreKey", () => {
  it("stores the token's SHA-256, never the token", async () => {
    const token = createSessionToken();

    const key = await sessionStoreKey(token);

    expect(key).toBe(`session:${createHash("sha256").update(token).digest("hex")}`);
    expect(key).not.toContain(token);
  });

  it("gives different tokens different keys and the same token the same key", async () => {
    const token = createSessionToken();

    expect(await sessionStoreKey(token)).toBe(await sessionStoreKey(token));
    expect(await sessionStoreKey(token)).not.toBe(await sessionStoreKey(createSessionToken()));
  });
});
