import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { PROJECT_ROOT } from "../../scripts/lib/dev-stack.ts";
import type { CpuPlan } from "../lib/cpu.ts";
import { pinnedCommand } from "../lib/cpu.ts";

/**
 * Child Node processes of the benchmarks, pinned with taskset: a server that prints one
 * JSON line when ready and runs until stopped, or a load generator that prints one JSON
 * result and exits. Both are bounded in time; both die with a clear error rather than hang.
 */
export interface PinnedServer<Ready> {
  ready: Ready;
  pid: number | undefined;
  stop: () => Promise<void>;
}

export async function startPinnedServer<Ready>(
  plan: CpuPlan,
  cpu: number,
  script: string,
  args: string[],
  options: { readyTimeoutMs: number; env?: NodeJS.ProcessEnv; onStderr?: (line: string) => void },
): Promise<PinnedServer<Ready>> {
  const child = spawnPinned(plan, cpu, script, args, options.env);
  const stderr = collectStderr(child, options.onStderr);
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`${script} not ready within ${options.readyTimeoutMs} ms:\n${stderr()}`),
          ),
        options.readyTimeoutMs,
      );
      const lines = createInterface({ input: child.stdout! });
      // The first line that looks like JSON; anything a library prints before it is skipped.
      const onLine = (line: string) => {
        if (!line.startsWith("{")) return;
        lines.off("line", onLine);
        clearTimeout(timer);
        resolve(line);
      };
      lines.on("line", onLine);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited with ${code} before it was ready:\n${stderr()}`));
      });
    });
    return { ready: JSON.parse(firstLine) as Ready, pid: child.pid, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

export async function runPinnedJson<Result>(
  plan: CpuPlan,
  cpu: number,
  script: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<Result> {
  const child = spawnPinned(plan, cpu, script, args, options.env);
  const stderr = collectStderr(child);
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopChild(child);
  }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  if (timedOut)
    throw new Error(`${script} did not finish within ${options.timeoutMs} ms:\n${stderr()}`);
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr()}`);
  const lastLine = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(lastLine) as Result;
}

function spawnPinned(
  plan: CpuPlan,
  cpu: number,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv | undefined,
): ChildProcess {
  const [command, commandArgs] = pinnedCommand(plan, cpu, process.execPath, [script, ...args]);
  return spawn(command, commandArgs, {
    cwd: PROJECT_ROOT,
    env: env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Keeps the last few KiB of stderr for error messages. */
function collectStderr(child: ChildProcess, onLine?: (line: string) => void): () => string {
  let tail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4_000);
    if (onLine) for (const line of text.split("\n")) if (line.trim()) onLine(line);
  });
  return () => tail;
}

/** Closes stdin (the polite stop), then SIGTERM, then SIGKILL. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin?.end();
  const term = setTimeout(() => child.kill("SIGTERM"), 3_000);
  const kill = setTimeout(() => child.kill("SIGKILL"), 8_000);
  await exited;
  clearTimeout(term);
  clearTimeout(kill);
}
