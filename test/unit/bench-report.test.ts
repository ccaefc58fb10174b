import { describe, expect, it } from "vitest";
import { ratioToBaseline, renderScenarioTable } from "../../bench/lib/report.ts";
import { percentile, summarize } from "../../bench/lib/stats.ts";
import { renderScenarioChart } from "../../bench/lib/svg-chart.ts";
import type { MeasurementGroup, ScenarioResult } from "../../bench/lib/types.ts";

/** The benchmark's arithmetic and rendering: every published figure passes through here. */

describe("summarize", () => {
  it("reports nearest-rank percentiles of an unsorted series", () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);

    const summary = summarize(samples);

    expect(summary).toEqual({
      count: 100,
      min: 1,
      max: 100,
      mean: 50.5,
      median: 50,
      p95: 95,
      p99: 99,
    });
  });

  it("handles a single sample and refuses an empty series", () => {
    expect(summarize([7])).toMatchObject({ min: 7, max: 7, median: 7, p95: 7, p99: 7 });
    expect(() => summarize([])).toThrow(/empty/);
  });

  it("never reads past either end", () => {
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([1, 2, 3], 100)).toBe(3);
  });
});

const group: MeasurementGroup = {
  title: "latency",
  measurements: [
    {
      variant: "baseline: ws",
      unit: "ms",
      better: "lower",
      isBaseline: true,
      summary: summarize([10, 20, 30]),
    },
    { variant: "ours", unit: "ms", better: "lower", summary: summarize([5, 10, 15]) },
    {
      variant: "other",
      unit: "ms",
      better: "lower",
      comparedWith: "ours",
      summary: summarize([20]),
    },
  ],
};

describe("ratioToBaseline", () => {
  it("divides a variant's median by its group's baseline median", () => {
    expect(ratioToBaseline(group.measurements[1]!, group)).toBe(0.5);
  });

  it("uses the named comparison when a variant names one", () => {
    expect(ratioToBaseline(group.measurements[2]!, group)).toBe(2);
  });

  it("gives the baseline itself no ratio", () => {
    expect(ratioToBaseline(group.measurements[0]!, group)).toBeUndefined();
  });
});

describe("rendering", () => {
  const result: ScenarioResult = {
    name: "demo",
    title: `A <script>"title"`,
    goal: "goal",
    groups: [group],
    notes: [],
    durationSeconds: 1,
  };

  it("puts median, percentiles, sample count and ratio in the table", () => {
    const table = renderScenarioTable(result);

    expect(table).toContain(
      "| ours | ms | 10.0 | 15.0 | 15.0 | 5.00 | 15.0 | 3 | 0.50× (lower is better) |",
    );
    expect(table).toContain("| baseline: ws | ms | 20.0 |");
    expect(table).toContain("baseline |");
  });

  it("draws one bar per measurement and escapes text in the SVG", () => {
    const svg = renderScenarioChart(result);

    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&#60;script&#62;");
  });
});
