import { describe, expect, it } from "vitest";
import { fetchDashboard } from "../support/dashboard-client.ts";

/** Malformed login submissions are the client's fault: a 4xx, never a 500. */
describe("POST /login with malformed forms", () => {
  it("refuses a form labelled with a charset other than UTF-8 with 415", async () => {
    // Regression: formData() threw on an unknown charset and the dashboard answered 500.
    for (const charset of ["utf-16", "iso-8859-1", "made-up"]) {
      const response = await fetchDashboard(
        "/login",
        { method: "POST", body: "email=a%40b.example&password=x" },
        { headers: { "content-type": `application/x-www-form-urlencoded; charset=${charset}` } },
      );

      expect(response.status, charset).toBe(415);
    }
  });

  it("refuses a body that is not form encoding at all with a 4xx", async () => {
    const response = await fetchDashboard(
      "/login",
      { method: "POST", body: "%zz=%%%&&&=\u0000" },
      { headers: { "content-type": "application/x-www-form-urlencoded" } },
    );

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
