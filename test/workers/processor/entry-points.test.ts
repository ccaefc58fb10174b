import { describe, expect, it } from "vitest";
import processor from "../../../workers/processor/src/index.ts";

describe("processor entry points", () => {
  it("has a queue handler and no fetch handler, so nothing can call it", () => {
    expect(Object.keys(processor)).toEqual(["queue"]);
  });
});
