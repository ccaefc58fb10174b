import { pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  burnPasswordCheck,
  hashPassword,
  MAX_PASSWORD_CHARS,
  PBKDF2_ITERATIONS,
  PLATFORM_MAX_PBKDF2_ITERATIONS,
  verifyPassword,
} from "../../shared/auth/password.ts";

const PASSWORD = "correct horse battery staple";
/** Production Workers' WebCrypto refuses PBKDF2 above this many iterations. */
const WORKERS_PBKDF2_CEILING = 100_000;
const STORED_FORMAT = /^pbkdf2-sha256\$(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

/** A stored value in our format, derived with node:crypto rather than the code under test. */
function storedHashFromNode(password: string, iterations: number): string {
  const salt = Buffer.alloc(16, 7);
  const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return `pbkdf2-sha256$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

describe("hashPassword and verifyPassword", () => {
  it("verifies the password it hashed", async () => {
    const stored = await hashPassword(PASSWORD);

    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
  });

  it("rejects a wrong password, including one differing only in case or a trailing space", async () => {
    const stored = await hashPassword(PASSWORD);

    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword(PASSWORD.toUpperCase(), stored)).toBe(false);
    expect(await verifyPassword(`${PASSWORD} `, stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("stores scheme, iteration count, a 16-byte salt and a 32-byte PBKDF2-SHA256 hash", async () => {
    const stored = await hashPassword(PASSWORD);

    const match = STORED_FORMAT.exec(stored);
    expect(match).not.toBeNull();
    const [, iterations = "", salt = "", hash = ""] = match ?? [];
    expect(Number(iterations)).toBe(PBKDF2_ITERATIONS);
    expect(Buffer.from(salt, "base64")).toHaveLength(16);
    expect(Buffer.from(hash, "base64")).toHaveLength(32);

    // The hash is plain PBKDF2-HMAC-SHA256, so another implementation reproduces it.
    const expected = pbkdf2Sync(
      PASSWORD,
      Buffer.from(salt, "base64"),
      PBKDF2_ITERATIONS,
      32,
      "sha256",
    );
    expect(hash).toBe(expected.toString("base64"));
  });

  it("verifies a hash produced by node:crypto in the stored format", async () => {
    const stored = storedHashFromNode(PASSWORD, 1_000);

    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("not the password", stored)).toBe(false);
  });

  it("uses a fresh salt each time, so one password never hashes the same twice", async () => {
    const first = await hashPassword(PASSWORD);
    const second = await hashPassword(PASSWORD);

    expect(first.split("$")[2]).not.toBe(second.split("$")[2]);
    expect(first).not.toBe(second);
  });

  it("handles non-ASCII passwords as UTF-8", async () => {
    const password = "pässwörd-日本語-🔑-long-enough";
    const stored = await hashPassword(password, 1_000);

    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword(password.normalize("NFD"), stored)).toBe(false);
  });
});

describe("the production PBKDF2 iteration ceiling", () => {
  // workerd under `wrangler dev` and in the Vitest pool accepts any iteration count, while
  // production Workers refuse more than 100,000. These tests are what enforce the limit
  // before a deploy; nothing local would otherwise notice.

  it("pins PBKDF2_ITERATIONS and the platform maximum to the 100,000 Workers ceiling", () => {
    expect(PLATFORM_MAX_PBKDF2_ITERATIONS).toBe(WORKERS_PBKDF2_CEILING);
    expect(PBKDF2_ITERATIONS).toBe(WORKERS_PBKDF2_CEILING);
  });

  it("refuses to hash with more iterations than production Workers accept, naming the limit", async () => {
    const attempt = hashPassword(PASSWORD, PLATFORM_MAX_PBKDF2_ITERATIONS + 1);

    await expect(attempt).rejects.toThrow(RangeError);
    await expect(attempt).rejects.toThrow(/100001.*100000.*production Workers/);
  });

  it("returns false, without throwing, for a correct hash claiming more than 100,000 iterations", async () => {
    // A real, correct hash: only the iteration count makes it unusable in production.
    const stored = storedHashFromNode(PASSWORD, WORKERS_PBKDF2_CEILING + 1);

    expect(await verifyPassword(PASSWORD, stored)).toBe(false);
  });
});

describe("verifyPassword on stored values it cannot use", () => {
  const salt = Buffer.alloc(16, 1).toString("base64");
  const hash = Buffer.alloc(32, 2).toString("base64");

  it.each([
    ["empty", ""],
    ["plain text", PASSWORD],
    ["another scheme", `bcrypt$${PBKDF2_ITERATIONS}$${salt}$${hash}`],
    ["only the scheme", "pbkdf2-sha256$"],
    ["missing the hash", `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${salt}`],
    ["with an empty salt", `pbkdf2-sha256$${PBKDF2_ITERATIONS}$$${hash}`],
    ["with a non-numeric count", `pbkdf2-sha256$many$${salt}$${hash}`],
    ["with a zero count", `pbkdf2-sha256$0$${salt}$${hash}`],
    ["with a negative count", `pbkdf2-sha256$-1$${salt}$${hash}`],
    ["with a fractional count", `pbkdf2-sha256$1.5$${salt}$${hash}`],
    ["with an infinite count", `pbkdf2-sha256$Infinity$${salt}$${hash}`],
    ["with a huge count", `pbkdf2-sha256$${"9".repeat(30)}$${salt}$${hash}`],
    ["with a salt that is not base64", `pbkdf2-sha256$${PBKDF2_ITERATIONS}$!!!!$${hash}`],
    ["with a hash that is not base64", `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${salt}$%%%%`],
    ["with a truncated hash", `pbkdf2-sha256$1000$${salt}$${hash.slice(0, 8)}`],
  ])("returns false for a stored value %s", async (_label, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });
});

describe("over-long passwords", () => {
  const overLong = "a".repeat(MAX_PASSWORD_CHARS + 1);

  it("rejects a password longer than MAX_PASSWORD_CHARS even against its own hash", async () => {
    // Bounds the PBKDF2 input an anonymous login form can make us hash.
    const stored = storedHashFromNode(overLong, 1_000);

    expect(await verifyPassword(overLong, stored)).toBe(false);
  });

  it("verifies a password of exactly MAX_PASSWORD_CHARS", async () => {
    const longest = "b".repeat(MAX_PASSWORD_CHARS);
    const stored = await hashPassword(longest, 1_000);

    expect(await verifyPassword(longest, stored)).toBe(true);
  });

  it("refuses to hash a password that verifyPassword would never accept", async () => {
    // Guards against creating an account whose password can never log in.
    await expect(hashPassword(overLong, 1_000)).rejects.toThrow();
  });

  it("burns a full check for any input without throwing", async () => {
    await expect(burnPasswordCheck("x".repeat(MAX_PASSWORD_CHARS * 100))).resolves.toBeUndefined();
  });
});
