import type { ScenarioResult } from "./types.ts";

/**
 * One horizontal bar chart per scenario: each measurement's median as a bar, its p95 as
 * a thin whisker, baselines in grey. Plain SVG, no dependencies, readable on GitHub.
 */
const WIDTH = 760;
const LABEL_WIDTH = 330;
const BAR_HEIGHT = 18;
const ROW_GAP = 8;
const GROUP_GAP = 26;

export function renderScenarioChart(result: ScenarioResult): string {
  const rows: string[] = [];
  let y = 40;
  for (const group of result.groups) {
    rows.push(text(12, y, group.title, "font-weight:600"));
    y += 10;
    const scaleMax = Math.max(
      ...group.measurements.map((m) => Math.max(m.summary.p95, m.summary.median)),
      1e-9,
    );
    for (const measurement of group.measurements) {
      const barWidth = ((WIDTH - LABEL_WIDTH - 110) * measurement.summary.median) / scaleMax;
      const whisker =
        LABEL_WIDTH + ((WIDTH - LABEL_WIDTH - 110) * measurement.summary.p95) / scaleMax;
      const colour = measurement.isBaseline ? "#9aa3b2" : "#2f6fde";
      rows.push(text(12, y + 13, truncate(measurement.variant, 48)));
      rows.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(barWidth, 1).toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour}"/>`,
      );
      if (measurement.summary.p95 !== measurement.summary.median) {
        rows.push(
          `<line x1="${whisker.toFixed(1)}" x2="${whisker.toFixed(1)}" y1="${y + 3}" y2="${y + BAR_HEIGHT - 3}" stroke="#1d2330" stroke-width="2"/>`,
        );
      }
      rows.push(
        text(
          LABEL_WIDTH + Math.max(barWidth, 1) + 6,
          y + 13,
          `${formatNumber(measurement.summary.median)} ${measurement.unit}`,
        ),
      );
      y += BAR_HEIGHT + ROW_GAP;
    }
    y += GROUP_GAP - ROW_GAP;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(
      12,
      22,
      `${result.title} (bar: median, tick: p95; grey: baseline)`,
      "font-size:14px;font-weight:700",
    ),
    ...rows,
    "</svg>",
    "",
  ].join("\n");
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function text(x: number, y: number, content: string, style = ""): string {
  return `<text x="${x}" y="${y}"${style ? ` style="${style}"` : ""}>${escapeXml(content)}</text>`;
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
