import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

const STOP_GRACE_MS = 5_000;

/**
 * Stops a child started with `detached: true` and everything it started: wrangler runs
 * workerd as a child of its own, so the whole process group is signalled, gently first.
 */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise((done) => child.once("exit", done));
  process.kill(-pid, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** A loopback port free at the moment of asking (another process could take it after). */
export async function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}
