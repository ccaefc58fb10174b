import type { Scenario } from "../lib/types.ts";
import { endToEndScenario } from "./end-to-end.ts";
import { sentimentScenario } from "./sentiment.ts";

/** In the order `npm run bench` runs them and docs/performance.md lists them. */
export const SCENARIOS: Scenario[] = [endToEndScenario, sentimentScenario];
