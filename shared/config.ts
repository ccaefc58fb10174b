import type { z } from "zod";

/**
 * Fails early and plainly on bad configuration: the message names each setting, the
 * rule it broke and where to fix it. Values are never echoed, since most are secrets.
 */
export class ConfigError extends Error {
  constructor(worker: string, issues: string[]) {
    super(
      `${worker} is misconfigured:\n${issues.map((issue) => `  - ${issue}`).join("\n")}\n` +
        "Set these with `wrangler secret put` in production, or in .dev.vars locally " +
        "(`npm run dev` generates it).",
    );
    this.name = "ConfigError";
  }
}

export function readConfig<Schema extends z.ZodType>(
  worker: string,
  schema: Schema,
  env: unknown,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    worker,
    result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`),
  );
}
