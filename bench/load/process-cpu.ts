import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/**
 * CPU time spent by processes, read from /proc (Linux). A scenario snapshots before and
 * after a load and divides the difference by the requests served: CPU per request, a figure
 * that, unlike latency, does not depend on how many connections wait in line.
 */
export type CpuSnapshot = Map<number, { name: string; seconds: number }>;

/** utime + stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (USER_HZ = 100 on Linux). */
const TICKS_PER_SECOND = 100;

export function canReadProcessCpu(): boolean {
  return existsSync(`/proc/${process.pid}/stat`);
}

/** Every process in the given process groups, plus the given single pids. */
export function snapshotCpu(groups: readonly number[], pids: readonly number[] = []): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const members = new Set(pids);
  for (const group of groups) {
    try {
      const listed = execFileSync("pgrep", ["-g", String(group)], { encoding: "utf8" });
      for (const line of listed.split("\n")) if (line.trim()) members.add(Number(line.trim()));
    } catch {
      // pgrep exits 1 when the group is empty.
    }
  }
  for (const pid of members) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name sits in parentheses and may hold spaces: split after it.
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      // fields[0] is field 3 (state), so field 14 is fields[11] and field 15 is fields[12].
      const ticks = Number(fields[11]) + Number(fields[12]);
      snapshot.set(pid, { name, seconds: ticks / TICKS_PER_SECOND });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return snapshot;
}

/** CPU seconds spent between two snapshots, per process name (workerd, node, ...). */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const [pid, { name, seconds }] of after) {
    const delta = seconds - (before.get(pid)?.seconds ?? 0);
    spent[name] = (spent[name] ?? 0) + delta;
  }
  return spent;
}
