import { describe, expect, it } from "vitest";
import { rateLimitKey } from "../../shared/http/client-ip.ts";

describe("rateLimitKey", () => {
  it("keys an IPv4 client by its address", () => {
    expect(rateLimitKey("192.0.2.7")).toBe("192.0.2.7");
  });

  it("counts an IPv4-mapped IPv6 address as the IPv4 client it is", () => {
    // Regression: "::ffff:192.0.2.7" and "192.0.2.7" had separate counts.
    expect(rateLimitKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(rateLimitKey("::FFFF:192.0.2.7")).toBe("192.0.2.7");
  });

  it("keys an IPv6 client by its /64, so rotating within it gains nothing", () => {
    const keys = [
      "2001:db8:1:2:aaaa:bbbb:cccc:dddd",
      "2001:db8:1:2::1",
      "2001:0db8:0001:0002:0:0:0:ffff",
      "2001:DB8:1:2:FFFF::",
    ].map(rateLimitKey);

    expect(new Set(keys)).toEqual(new Set(["2001:db8:1:2::/64"]));
    expect(rateLimitKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  });

  it("leaves what it cannot parse as it is, so it still counts", () => {
    expect(rateLimitKey("not-an-address")).toBe("not-an-address");
    expect(rateLimitKey("1:2:3")).toBe("1:2:3");
    expect(rateLimitKey("unknown")).toBe("unknown");
  });
});
