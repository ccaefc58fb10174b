import { execFileSync } from "node:child_process";
import { cpus, freemem, totalmem, type as osType, release } from "node:os";

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  wrangler: string;
  pinning: string;
}

export function describeMachine(pinning: string): MachineDescription {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model ?? "unknown",
    cores: cpuList.length,
    memoryGiB: round(totalmem() / 2 ** 30),
    freeMemoryGiB: round(freemem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    wrangler: readWranglerVersion(),
    pinning,
  };
}

function readWranglerVersion(): string {
  try {
    return execFileSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "--version"], {
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    }).trim();
  } catch {
    return "unknown";
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
