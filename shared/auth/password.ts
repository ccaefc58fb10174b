import { decodeBase64, encodeBase64 } from "../encoding.ts";

/**
 * PBKDF2-HMAC-SHA256 is the strong KDF that Workers' WebCrypto offers. Production Workers
 * refuse more than 100,000 iterations (local workerd does not), and OWASP's 2023
 * guidance for PBKDF2-SHA256 is 600,000, so we sit at the platform ceiling and say so
 * in SECURITY.md. A test pins this value to the ceiling.
 */
export const PBKDF2_ITERATIONS = 100_000;
export const PLATFORM_MAX_PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const HASH_SCHEME = "pbkdf2-sha256";

/** NIST SP 800-63B section 3.1.1.2: at least 15 characters without MFA, at most 64+ allowed. */
export const MIN_PASSWORD_CHARS = 15;
export const MAX_PASSWORD_CHARS = 128;

export async function hashPassword(
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<string> {
  assertSupportedIterations(iterations);
  assertPasswordPolicy(password);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${HASH_SCHEME}$${iterations}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

/** False for a wrong password and for a stored value we cannot parse; never throws on input. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed || password.length > MAX_PASSWORD_CHARS) return false;
  const candidate = await derive(password, parsed.salt, parsed.iterations);
  return timingSafeEqual(candidate, parsed.hash);
}

/**
 * Run when no account matched, so a login for an unknown email costs as much as one
 * for a known email and timing does not reveal which accounts exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  await derive(
    password.slice(0, MAX_PASSWORD_CHARS),
    new Uint8Array(SALT_BYTES),
    PBKDF2_ITERATIONS,
  );
}

export function parseStoredHash(
  stored: string,
):
  { iterations: number; salt: Uint8Array<ArrayBuffer>; hash: Uint8Array<ArrayBuffer> } | undefined {
  const [scheme, iterationText, saltText, hashText] = stored.split("$");
  if (scheme !== HASH_SCHEME || !iterationText || !saltText || !hashText) return undefined;
  const iterations = Number(iterationText);
  if (!Number.isSafeInteger(iterations) || iterations < 1) return undefined;
  if (iterations > PLATFORM_MAX_PBKDF2_ITERATIONS) return undefined;
  try {
    return { iterations, salt: decodeBase64(saltText), hash: decodeBase64(hashText) };
  } catch {
    return undefined;
  }
}

/** Length is the whole policy (NIST SP 800-63B): no composition rules, no forced rotation. */
export function assertPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_CHARS || password.length > MAX_PASSWORD_CHARS) {
    throw new RangeError(
      `A password must be ${MIN_PASSWORD_CHARS} to ${MAX_PASSWORD_CHARS} characters long.`,
    );
  }
}

function assertSupportedIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError(`PBKDF2 iterations must be a positive integer, not ${iterations}.`);
  }
  if (iterations > PLATFORM_MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(
      `PBKDF2 iterations ${iterations} exceed the ${PLATFORM_MAX_PBKDF2_ITERATIONS} that ` +
        "production Workers accept; lower the count.",
    );
  }
}

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

function timingSafeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.byteLength !== right.byteLength) return false;
  let difference = 0;
  for (let index = 0; index < left.byteLength; index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}
