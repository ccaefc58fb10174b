/** How long a test waits for something asynchronous (a queue delivery, a socket event). */
export const DEFAULT_WAIT_MS = 3_000;
const POLL_INTERVAL_MS = 10;

/**
 * Polls `read` until it returns a value other than undefined, for at most `timeoutMs`.
 * Bounded in time and in count, so a missing event fails the test instead of hanging it.
 */
export async function waitFor<T>(
  description: string,
  read: () => T | undefined,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<T> {
  const attempts = Math.ceil(timeoutMs / POLL_INTERVAL_MS);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = read();
    if (value !== undefined) return value;
    await sleep(POLL_INTERVAL_MS);
  }
  const value = read();
  if (value !== undefined) return value;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
