/**
 * The contract between the bundle scenario and bench/load/miniflare-startup.ts, which
 * runs in its own process (pinned to the server CPU, with the workerd it spawns) and
 * prints one StartupResult as JSON on stdout.
 */
export interface StartupTarget {
  name: string;
  /** A bundle from `wrangler deploy --dry-run --outdir`: one ES module. */
  scriptPath: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Path of the first request; undefined for a Worker without a fetch handler. */
  firstRequestPath?: string;
}

export interface StartupJob {
  targets: StartupTarget[];
  /** Rounds discarded first; every round starts each target once, in turn. */
  warmupRounds: number;
  rounds: number;
  /** Any single start taking longer fails the run. */
  timeoutMs: number;
}

export interface StartupSamples {
  /** From `new Miniflare()` until it reports ready (workerd up, scripts loaded). */
  readyMs: number[];
  /** From `new Miniflare()` until the first response's body has arrived. */
  firstResponseMs: number[];
  firstStatuses: number[];
}

export type StartupResult = Record<string, StartupSamples>;
