import { DurableObject } from "cloudflare:workers";
import type { DashboardEnv } from "./env.ts";

/** The security report's policy: lock after 5 failed sign-ins. */
export const MAX_FAILED_LOGINS = 5;
/** OWASP's authentication guidance: count failures over, and lock for, a bounded period. */
export const FAILED_LOGIN_WINDOW_SECONDS = 15 * 60;
export const LOCKOUT_SECONDS = 15 * 60;

export interface LoginThrottleState {
  locked: boolean;
  retryAfterSeconds: number;
}

interface StoredAttempts {
  failures: number[];
  lockedUntil: number;
}

/**
 * One instance per login name (the SHA-256 of the lowercased email, so unknown emails
 * lock exactly like known ones and the lock says nothing about which accounts exist).
 * A Durable Object, not KV: counting needs strong consistency, and KV allows one write
 * per second per key, which a guessing attack would exceed.
 */
export class LoginThrottle extends DurableObject<DashboardEnv> {
  async check(nowMs: number): Promise<LoginThrottleState> {
    return describe(await this.load(), nowMs);
  }

  async recordFailure(nowMs: number): Promise<LoginThrottleState> {
    const attempts = await this.load();
    const windowStart = nowMs - FAILED_LOGIN_WINDOW_SECONDS * 1000;
    attempts.failures = [...attempts.failures.filter((at) => at > windowStart), nowMs];
    if (attempts.failures.length >= MAX_FAILED_LOGINS) {
      attempts.lockedUntil = nowMs + LOCKOUT_SECONDS * 1000;
      attempts.failures = [];
    }
    await this.ctx.storage.put("attempts", attempts);
    return describe(attempts, nowMs);
  }

  async recordSuccess(): Promise<void> {
    await this.ctx.storage.delete("attempts");
  }

  private async load(): Promise<StoredAttempts> {
    return (
      (await this.ctx.storage.get<StoredAttempts>("attempts")) ?? { failures: [], lockedUntil: 0 }
    );
  }
}

function describe(attempts: StoredAttempts, nowMs: number): LoginThrottleState {
  const remainingMs = attempts.lockedUntil - nowMs;
  return { locked: remainingMs > 0, retryAfterSeconds: Math.max(0, Math.ceil(remainingMs / 1000)) };
}
