import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Secrets live in `wrangler secret` and the git-ignored, generated .dev.vars; none may
 * be committed. This reads every tracked file, as a leaked-credential scanner would.
 */
const ROOT = new URL("../../", import.meta.url);

function listTrackedFiles(): string[] {
  try {
    return execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((path) => path.length > 0);
  } catch {
    return [];
  }
}

const SECRET_PATTERNS: [string, RegExp][] = [
  ["a Standard Webhooks secret", /whsec_[A-Za-z0-9+/]{30,}={0,2}/],
  // A literal password; template placeholders (`${...}`) and the PGlite default are not.
  [
    "a Postgres URL with a password",
    /postgres(?:ql)?:\/\/[^:\s/]+:(?!postgres@|\*\*\*|<)[^@\s$]{6,}@/,
  ],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  [
    "a Cloudflare API token variable with a value",
    /CLOUDFLARE_API_TOKEN\s*[=:]\s*["']?[A-Za-z0-9_-]{20,}/,
  ],
];

/** Published test vectors, public by design. */
const PUBLIC_VALUES = [
  // The Standard Webhooks specification's example secret.
  "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
];

describe("the repository", () => {
  const files = listTrackedFiles();

  it.skipIf(files.length === 0)("tracks no local secrets file", () => {
    const secretFiles = files.filter((path) => /(^|\/)(\.dev\.vars|\.env)(\..*)?$/.test(path));

    expect(secretFiles).toEqual([]);
  });

  it.skipIf(files.length === 0)("contains no credential in any tracked file", () => {
    const findings: string[] = [];
    for (const path of files) {
      let text = readFileSync(new URL(path, ROOT), "utf8");
      for (const value of PUBLIC_VALUES) text = text.replaceAll(value, "");
      for (const [what, pattern] of SECRET_PATTERNS) {
        if (pattern.test(text)) findings.push(`${path}: ${what}`);
      }
    }

    expect(findings).toEqual([]);
  });

  it("keeps generated state and secrets out of git", () => {
    const ignored = readFileSync(new URL(".gitignore", ROOT), "utf8").split("\n");

    expect(ignored).toEqual(expect.arrayContaining([".dev.vars", ".wrangler/", ".env"]));
  });
});
