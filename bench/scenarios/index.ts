import type { Scenario } from "../lib/types.ts";
import { broadcastScenario } from "./broadcast.ts";
import { bundleScenario } from "./bundle.ts";
import { endToEndScenario } from "./end-to-end.ts";
import { ingestScenario } from "./ingest.ts";
import { processorBatchScenario } from "./processor-batch.ts";
import { sentimentScenario } from "./sentiment.ts";

/** In the order `npm run bench` runs them and docs/performance.md lists them. */
export const SCENARIOS: Scenario[] = [
  endToEndScenario,
  ingestScenario,
  broadcastScenario,
  processorBatchScenario,
  bundleScenario,
  sentimentScenario,
];
