import { execFileSync } from "node:child_process";
import { cpus } from "node:os";

/**
 * Servers on one core, load generators on another, so the generator does not steal the
 * server's CPU. `taskset` (util-linux) does the pinning; without it, or with one core,
 * commands run unpinned and the report says so.
 */
export interface CpuPlan {
  serverCpu: number;
  loadCpu: number;
  canPin: boolean;
  description: string;
}

export function planCpus(): CpuPlan {
  const count = cpus().length;
  const canPin = count >= 2 && hasTaskset();
  return {
    serverCpu: 0,
    loadCpu: count >= 2 ? 1 : 0,
    canPin,
    description: canPin
      ? "servers pinned to CPU 0, load generators to CPU 1 (taskset)"
      : "not pinned (needs two cores and taskset)",
  };
}

/** Prefixes a command with taskset when pinning is possible. */
export function pinnedCommand(
  plan: CpuPlan,
  cpu: number,
  command: string,
  args: string[],
): [string, string[]] {
  return plan.canPin ? ["taskset", ["-c", String(cpu), command, ...args]] : [command, args];
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Pins every process in a process group (wrangler and its workerd) to one CPU. */
export function pinProcessGroup(
  plan: CpuPlan,
  processGroupId: number | undefined,
  cpu: number,
): void {
  if (!plan.canPin || processGroupId === undefined) return;
  const members = execFileSync("pgrep", ["-g", String(processGroupId)], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.trim().length > 0);
  for (const pid of members)
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), pid.trim()], { stdio: "ignore" });
}

/** Pins this Node process (the load generator) to one CPU. */
export function pinSelf(plan: CpuPlan, cpu: number): void {
  if (!plan.canPin) return;
  execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], {
    stdio: "ignore",
  });
}

/** Undoes pinSelf, so the next scenario (and what it spawns) starts with every CPU. */
export function releaseSelf(plan: CpuPlan): void {
  if (!plan.canPin) return;
  execFileSync("taskset", ["-a", "-p", "-c", `0-${cpus().length - 1}`, String(process.pid)], {
    stdio: "ignore",
  });
}
