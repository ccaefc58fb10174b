import { describe, expect, it } from "vitest";
import { ticketPayloadSchema } from "../../shared/tickets/schema.ts";
import { findTextProblem } from "../../shared/text.ts";

/**
 * Text that shows something other than it says. Each case was accepted before these
 * rules and is a way to disguise a ticket in an agent's dashboard.
 */
const valid = {
  externalId: "case-1",
  subject: "Card charged twice",
  body: "I was charged twice for one order.",
  category: "Credit card",
  customer: { name: "Dana Moss", email: "dana@example.com" },
};

function issuesFor(patch: Record<string, unknown>): string[] {
  const result = ticketPayloadSchema.safeParse({ ...valid, ...patch });
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

describe("ticket text rules", () => {
  it("accepts ordinary text in any script, including right-to-left", () => {
    expect(issuesFor({ subject: "שלום — مرحبا — 你好 — Ünïcödé ✓" })).toEqual([]);
  });

  it("refuses bidirectional overrides anywhere, since they render text reversed", () => {
    expect(issuesFor({ subject: "refund \u202elive" })).toEqual(["subject"]);
    expect(issuesFor({ body: "see \u2067hidden\u2069 text" })).toEqual(["body"]);
    expect(issuesFor({ customer: { ...valid.customer, name: "\u202dDana" } })).toEqual([
      "customer.name",
    ]);
  });

  it("treats the Unicode line and paragraph separators as line breaks", () => {
    expect(issuesFor({ subject: "first\u2028second" })).toEqual(["subject"]);
    expect(issuesFor({ category: "a\u2029b" })).toEqual(["category"]);
    expect(issuesFor({ body: "first\u2028second" })).toEqual([]);
  });

  it("refuses text made only of invisible characters", () => {
    expect(issuesFor({ subject: "\u200b" })).toEqual(["subject"]);
    expect(issuesFor({ customer: { ...valid.customer, name: "\u200d\u2060\ufeff" } })).toEqual([
      "customer.name",
    ]);
    expect(issuesFor({ subject: "ok\u200b" })).toEqual([]);
  });

  it("refuses lone surrogates, which no UTF-8 store can keep", () => {
    expect(findTextProblem("broken \ud800 pair", { singleLine: false })).toBe("lone_surrogate");
    expect(findTextProblem("tail \udc00", { singleLine: false })).toBe("lone_surrogate");
    expect(findTextProblem("emoji 😀 pair", { singleLine: false })).toBeUndefined();
  });
});
