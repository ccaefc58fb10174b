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

export interface LoginAttempt extends LoginThrottleState {
  /** This attempt may check its password, but if it fails the name is now locked. */
  isLastBeforeLock: boolean;
}

interface StoredAttempts {
  attempts: number[];
  lockedUntil: number;
}

/**
 * One instance per login name (the SHA-256 of the lowercased email, so unknown emails
 * lock exactly like known ones and the lock says nothing about which accounts exist).
 * A Durable Object, not KV: counting needs strong consistency, and KV allows one write
 * per second per key, which a guessing attack would exceed.
 *
 * Every attempt is counted before its password is checked and forgiven only when it
 * succeeds. Counting after the check would let a burst of concurrent guesses all pass
 * the lock before the first failure was recorded.
 */
export class LoginThrottle extends DurableObject<DashboardEnv> {
  /** Reserves one attempt; `locked` means this attempt must not check a password. */
  async beginAttempt(nowMs: number): Promise<LoginAttempt> {
    const stored = await this.load();
    if (stored.lockedUntil > nowMs) return { ...describe(stored, nowMs), isLastBeforeLock: false };

    const windowStart = nowMs - FAILED_LOGIN_WINDOW_SECONDS * 1000;
    stored.attempts = [...stored.attempts.filter((at) => at > windowStart), nowMs];
    const isLastBeforeLock = stored.attempts.length >= MAX_FAILED_LOGINS;
    if (isLastBeforeLock) {
      // This attempt still runs; the next one finds the lock.
      stored.lockedUntil = nowMs + LOCKOUT_SECONDS * 1000;
      stored.attempts = [];
    }
    await this.ctx.storage.put("attempts", stored);
    // Forget this login name once nothing in storage can matter any more.
    await this.ctx.storage.setAlarm(
      Math.max(stored.lockedUntil, nowMs + FAILED_LOGIN_WINDOW_SECONDS * 1000),
    );
    return { locked: false, retryAfterSeconds: 0, isLastBeforeLock };
  }

  async check(nowMs: number): Promise<LoginThrottleState> {
    return describe(await this.load(), nowMs);
  }

  /** The attempt succeeded: it and every earlier failure are forgiven. */
  async recordSuccess(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    const stored = await this.load();
    if (stored.lockedUntil <= Date.now()) await this.ctx.storage.deleteAll();
  }

  private async load(): Promise<StoredAttempts> {
    return (
      (await this.ctx.storage.get<StoredAttempts>("attempts")) ?? { attempts: [], lockedUntil: 0 }
    );
  }
}

function describe(stored: StoredAttempts, nowMs: number): LoginThrottleState {
  const remainingMs = stored.lockedUntil - nowMs;
  return { locked: remainingMs > 0, retryAfterSeconds: Math.max(0, Math.ceil(remainingMs / 1000)) };
}
