import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/dev-stack.ts";

/** The team's shared data sets live beside the project, not in it. */
export const SHARED_DATA_DIR = join(PROJECT_ROOT, "../shared/data");

export interface LabelledSentence {
  text: string;
  positive: boolean;
}

export async function readLabelledSentences(): Promise<LabelledSentence[]> {
  const path = join(SHARED_DATA_DIR, "sentiment-amazon-labelled.txt");
  if (!existsSync(path))
    throw new Error(`missing ${path}: the shared data folder must sit beside the project`);
  return (await readFile(path, "utf8"))
    .split(/\r?\n/)
    .map((line) => /^(.*)\t([01])$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ text: match[1] ?? "", positive: match[2] === "1" }));
}

export async function readComplaintNarratives(): Promise<string[]> {
  const { parseCsvRecords } = await import("../../scripts/lib/csv.ts");
  const path = join(SHARED_DATA_DIR, "cfpb-complaints-sample.csv");
  if (!existsSync(path))
    throw new Error(`missing ${path}: the shared data folder must sit beside the project`);
  return parseCsvRecords(await readFile(path, "utf8"))
    .map((record) => record["Consumer complaint narrative"] ?? "")
    .filter((text) => text.length > 0);
}
