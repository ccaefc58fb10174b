import type { Summary } from "./stats.ts";

/**
 * What every scenario reports. A scenario measures our variant and at least one
 * baseline in the same run; ratios are computed against the baseline, never against
 * figures from another run or another machine.
 */
export interface Measurement {
  /** e.g. "ingest (edge → ingest → queue)" or "baseline: hello-world Worker". */
  variant: string;
  /** What each sample is: "ms", "req/s", "tickets/s", "KiB", "% correct", ... */
  unit: string;
  /** Whether bigger is better (throughput, accuracy) or smaller (latency, size). */
  better: "lower" | "higher";
  summary: Summary;
  isBaseline?: boolean;
  /** The baseline variant this one is compared with; defaults to the group's baseline. */
  comparedWith?: string;
  /** Extra figures that do not fit the summary (throughput next to latency, ...). */
  extra?: Record<string, number | string>;
}

export interface MeasurementGroup {
  /** A question the group answers, e.g. "latency at 100 sockets". */
  title: string;
  measurements: Measurement[];
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** The goal stated beside the figures, in words. */
  goal: string;
  groups: MeasurementGroup[];
  /** Plain statements: where we fall short and why, caveats of the method. */
  notes: string[];
  durationSeconds: number;
}

export interface ScenarioContext {
  /** Fixed repetition counts, so runs are comparable; --quick shrinks them for CI smoke runs. */
  quick: boolean;
  log: (line: string) => void;
  /** CPU to pin servers to and CPU to pin load generators to; equal when only one exists. */
  serverCpu: number;
  loadCpu: number;
}

export interface Scenario {
  name: string;
  title: string;
  goal: string;
  run(
    context: ScenarioContext,
  ): Promise<Omit<ScenarioResult, "name" | "title" | "goal" | "durationSeconds">>;
}
