import { afterAll, beforeAll } from "vitest";
import type { DevTenant } from "../../../scripts/lib/dev-state.ts";
import { startScratchDevStack } from "../../../scripts/lib/scratch-database.ts";

/**
 * The whole dev stack (Postgres, migrations, Neon bridge, `wrangler dev` with all four
 * workers) started once per test file on a free loopback port, with a state directory and
 * a database of its own, so test files never see each other's rows, sessions or limits.
 */
export interface E2eStack {
  /** http://127.0.0.1:<port>: the edge worker, the stack's only public entry. */
  url: string;
  /** The demo tenants, one per company in the demo CSV, with their secrets. */
  tenants: DevTenant[];
  /** Owner-level URL: tests read Postgres with it, bypassing the workers' roles. */
  databaseAdminUrl: string;
  embeddedDatabase: boolean;
  /** Everything wrangler printed so far: its own lines and the workers' console output. */
  wranglerOutput(): string;
  /** The lines startDevStack itself logged. */
  stackLog: readonly string[];
  tenant(slug: string): DevTenant;
}

export interface StoppableE2eStack extends E2eStack {
  stop(): Promise<void>;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Named in the timeout error so a failure says what never happened. */
  description: string;
}

export async function startE2eStack(label: string): Promise<StoppableE2eStack> {
  const stackLog: string[] = [];
  let output = "";
  try {
    const stack = await startScratchDevStack(`e2e_${label}`, {
      port: 0,
      log: (line) => stackLog.push(line),
      onWranglerOutput: (chunk) => (output += chunk),
    });
    return {
      url: stack.url,
      tenants: stack.state.tenants,
      databaseAdminUrl: stack.databaseAdminUrl,
      embeddedDatabase: stack.embeddedDatabase,
      wranglerOutput: () => output,
      stackLog,
      tenant(slug) {
        const found = stack.state.tenants.find((tenant) => tenant.slug === slug);
        if (!found) throw new Error(`the dev stack has no tenant ${JSON.stringify(slug)}`);
        return found;
      },
      stop: () => stack.stop(),
    };
  } catch (error) {
    throw new Error(`the dev stack did not start; wrangler said:\n${output.slice(-4000)}`, {
      cause: error,
    });
  }
}

/**
 * Starts the stack in beforeAll and stops it in afterAll, which Vitest runs even when a
 * test or beforeAll failed. Returns a getter, since the stack exists only once beforeAll ran.
 */
export function useDevStack(label: string): () => E2eStack {
  let stack: StoppableE2eStack | undefined;
  beforeAll(async () => {
    stack = await startE2eStack(label);
  });
  afterAll(async () => {
    await stack?.stop();
    stack = undefined;
  });
  return () => {
    if (!stack) throw new Error("the dev stack is not running (did beforeAll fail?)");
    return stack;
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after the timeout. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting until ${options.description}`,
        {
          cause: lastError,
        },
      );
    }
    await new Promise((done) => setTimeout(done, options.intervalMs ?? 100));
  }
}

/** The JSON log lines the workers printed (shared/log.ts), parsed, in order. */
export function readWorkerLogEvents(output: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of output.split("\n")) {
    const start = line.indexOf('{"time":');
    if (start === -1) continue;
    try {
      events.push(JSON.parse(line.slice(start)) as Record<string, unknown>);
    } catch {
      // A line wrangler wrapped or prefixed oddly; the raw text is still searched by callers.
    }
  }
  return events;
}
