import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../scripts/lib/dev-stack.ts";
import { planCpus, releaseSelf } from "./lib/cpu.ts";
import { describeMachine } from "./lib/machine.ts";
import type { BenchRun } from "./lib/report.ts";
import { renderRunMarkdown } from "./lib/report.ts";
import { renderPerformanceDoc } from "./lib/performance-doc.ts";
import { renderScenarioChart } from "./lib/svg-chart.ts";
import type { ScenarioResult } from "./lib/types.ts";
import { SCENARIOS } from "./scenarios/index.ts";

/**
 * `npm run bench [-- <scenario> ...] [--quick]`: runs the named scenarios (all by
 * default) one after another, each starting and stopping what it measures, and writes
 * bench/results/<time>.{json,md}, bench/results/latest.json (newest result per
 * scenario), docs/performance.md and one SVG chart per scenario.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
  },
});

if (values.list) {
  for (const scenario of SCENARIOS) console.log(`${scenario.name.padEnd(14)} ${scenario.title}`);
  process.exit(0);
}
const unknown = positionals.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown scenario: ${unknown.join(", ")}. Known: ${SCENARIOS.map((s) => s.name).join(", ")}`,
  );
  process.exit(2);
}
const selected =
  positionals.length > 0 ? SCENARIOS.filter((s) => positionals.includes(s.name)) : SCENARIOS;

const cpuPlan = planCpus();
const run: BenchRun = {
  startedAt: new Date().toISOString(),
  machine: describeMachine(cpuPlan.description),
  scenarios: [],
};

for (const scenario of selected) {
  console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
  const started = performance.now();
  const outcome = await scenario
    .run({
      quick: values.quick,
      log: (line) => console.log(`  ${line}`),
      serverCpu: cpuPlan.serverCpu,
      loadCpu: cpuPlan.loadCpu,
    })
    .finally(() => releaseSelf(cpuPlan));
  const result: ScenarioResult = {
    name: scenario.name,
    title: scenario.title,
    goal: scenario.goal,
    ...outcome,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  run.scenarios.push(result);
  console.log(`  done in ${result.durationSeconds} s`);
}

const resultsDir = join(PROJECT_ROOT, "bench/results");
const chartsDir = join(PROJECT_ROOT, "docs/performance");
await mkdir(resultsDir, { recursive: true });
await mkdir(chartsDir, { recursive: true });
const stamp = run.startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
await writeFile(join(resultsDir, `${stamp}.json`), `${JSON.stringify(run, null, 2)}\n`);
await writeFile(join(resultsDir, `${stamp}.md`), renderRunMarkdown(run));

const latestPath = join(resultsDir, "latest.json");
const previous = existsSync(latestPath)
  ? (JSON.parse(await readFile(latestPath, "utf8")) as BenchRun)
  : undefined;
const latest: BenchRun = {
  startedAt: run.startedAt,
  machine: run.machine,
  scenarios: SCENARIOS.flatMap((scenario) => {
    const fresh = run.scenarios.find((result) => result.name === scenario.name);
    const kept = previous?.scenarios.find((result) => result.name === scenario.name);
    return fresh ? [fresh] : kept ? [kept] : [];
  }),
};
await writeFile(latestPath, `${JSON.stringify(latest, null, 2)}\n`);
for (const result of latest.scenarios) {
  await writeFile(join(chartsDir, `${result.name}.svg`), renderScenarioChart(result));
}
await writeFile(
  join(PROJECT_ROOT, "docs/performance.md"),
  renderPerformanceDoc(latest, run.startedAt),
);
console.log(`\nWrote bench/results/${stamp}.{json,md}, docs/performance.md and charts.`);
console.log(renderRunMarkdown(run));
