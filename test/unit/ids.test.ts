import { describe, expect, it } from "vitest";
import { createUuidV7, isUuid } from "../../shared/ids.ts";

const ID_COUNT = 10_000;
const SOME_MS = Date.UTC(2026, 10, 17, 9, 30, 0, 123);
/** The largest Unix time in milliseconds that 48 bits hold (the year 10889). */
const MAX_48_BIT_MS = 2 ** 48 - 1;

/** The Unix milliseconds in the first 48 bits, read without the code under test. */
function timestampOf(uuid: string): number {
  return Number.parseInt(uuid.replaceAll("-", "").slice(0, 12), 16);
}

describe("createUuidV7", () => {
  it("has the canonical 8-4-4-4-12 lower-case hex shape", () => {
    expect(createUuidV7()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("sets version 7 and the RFC 9562 variant on every id", () => {
    for (let index = 0; index < 1_000; index++) {
      const hex = createUuidV7().replaceAll("-", "");

      // Version: the high nibble of byte 6. Variant: the two high bits of byte 8 are 10.
      expect(hex[12]).toBe("7");
      expect(Number.parseInt(hex.slice(16, 18), 16) >> 6).toBe(0b10);
    }
  });

  it("stores the given Unix milliseconds in its first 48 bits", () => {
    expect(timestampOf(createUuidV7(SOME_MS))).toBe(SOME_MS);
    expect(timestampOf(createUuidV7(0))).toBe(0);
    expect(timestampOf(createUuidV7(MAX_48_BIT_MS))).toBe(MAX_48_BIT_MS);
  });

  it("uses the current time by default", () => {
    const before = Date.now();

    const uuid = createUuidV7();

    expect(timestampOf(uuid)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(uuid)).toBeLessThanOrEqual(Date.now());
  });

  it("sorts ids from different milliseconds by creation time, as text", () => {
    const times = [SOME_MS, SOME_MS + 1, SOME_MS + 255, SOME_MS + 256, SOME_MS + 86_400_000];
    const ids = times.map((time) => createUuidV7(time));

    const sorted = [...ids].sort();

    expect(sorted).toEqual(ids);
  });

  it(`never repeats over ${ID_COUNT} ids made in the same millisecond`, () => {
    const ids = Array.from({ length: ID_COUNT }, () => createUuidV7(SOME_MS));

    expect(new Set(ids).size).toBe(ID_COUNT);
    expect(ids.every((id) => isUuid(id))).toBe(true);
  });
});

describe("isUuid", () => {
  it("accepts lower-case UUIDs of versions 1 to 8 with the RFC variant", () => {
    expect(isUuid(createUuidV7())).toBe(true);
    expect(isUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(true);
    expect(isUuid("f47ac10b-58cc-4372-a567-0e02b2c3d479")).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["without hyphens", "0190c6e45a0b7c1d8e2f3a4b5c6d7e8f"],
    ["with braces", "{0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e8f}"],
    ["one character short", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e8"],
    ["with a trailing newline", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e8f\n"],
    ["with a non-hex character", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e8g"],
    ["of version 0", "0190c6e4-5a0b-0c1d-8e2f-3a4b5c6d7e8f"],
    ["of version 9", "0190c6e4-5a0b-9c1d-8e2f-3a4b5c6d7e8f"],
    ["with the NCS variant", "0190c6e4-5a0b-7c1d-4e2f-3a4b5c6d7e8f"],
    ["with SQL appended", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e8f' or '1'='1"],
  ])("refuses a value %s", (_label, value) => {
    expect(isUuid(value)).toBe(false);
  });
});
