import type { MachineDescription } from "./machine.ts";
import { formatNumber } from "./svg-chart.ts";
import type { Measurement, MeasurementGroup, ScenarioResult } from "./types.ts";

export interface BenchRun {
  startedAt: string;
  machine: MachineDescription;
  scenarios: ScenarioResult[];
}

/** Our median over the baseline's: 0.5 means half the baseline's figure. */
export function ratioToBaseline(
  measurement: Measurement,
  group: MeasurementGroup,
): number | undefined {
  if (measurement.isBaseline) return undefined;
  const baseline = measurement.comparedWith
    ? group.measurements.find((candidate) => candidate.variant === measurement.comparedWith)
    : group.measurements.find((candidate) => candidate.isBaseline);
  if (!baseline || baseline.summary.median === 0) return undefined;
  return measurement.summary.median / baseline.summary.median;
}

export function renderScenarioTable(result: ScenarioResult): string {
  const lines: string[] = [];
  for (const group of result.groups) {
    lines.push(`**${group.title}**`, "");
    lines.push("| variant | unit | median | p95 | p99 | min | max | n | ratio to baseline |");
    lines.push("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const measurement of group.measurements) {
      const { summary } = measurement;
      const ratio = ratioToBaseline(measurement, group);
      const ratioText = measurement.isBaseline
        ? "baseline"
        : ratio === undefined
          ? "–"
          : `${formatNumber(ratio)}× (${measurement.better} is better)`;
      lines.push(
        `| ${measurement.variant} | ${measurement.unit} | ${formatNumber(summary.median)} | ${formatNumber(summary.p95)} | ` +
          `${formatNumber(summary.p99)} | ${formatNumber(summary.min)} | ${formatNumber(summary.max)} | ${summary.count} | ${ratioText} |`,
      );
    }
    const extras = group.measurements.filter((measurement) => measurement.extra);
    for (const measurement of extras) {
      const pairs = Object.entries(measurement.extra ?? {}).map(
        ([key, value]) => `${key} ${typeof value === "number" ? formatNumber(value) : value}`,
      );
      lines.push("", `- ${measurement.variant}: ${pairs.join(", ")}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

export function renderMachine(machine: MachineDescription): string {
  return [
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; memory ${machine.memoryGiB} GiB (${machine.freeMemoryGiB} GiB free at start)`,
    `- ${machine.os}; Node.js ${machine.node}; wrangler ${machine.wrangler}`,
    `- Pinning: ${machine.pinning}`,
  ].join("\n");
}

export function renderRunMarkdown(run: BenchRun): string {
  const sections = run.scenarios.map((result) =>
    [
      `## ${result.title}`,
      "",
      `Goal: ${result.goal}`,
      "",
      renderScenarioTable(result),
      ...(result.notes.length > 0
        ? ["Notes:", "", ...result.notes.map((note) => `- ${note}`), ""]
        : []),
    ].join("\n"),
  );
  return [`# Benchmark run ${run.startedAt}`, "", renderMachine(run.machine), "", ...sections].join(
    "\n",
  );
}
