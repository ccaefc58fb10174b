import { describe, expect, it } from "vitest";
import { decodeUtf8, readBodyWithLimit } from "../../shared/http/body.ts";
import {
  isProblem,
  Problem,
  renderInternalError,
  renderProblem,
} from "../../shared/http/problem.ts";

const LIMIT_BYTES = 64;
const URL_ = "https://ingest.internal/v1/tickets";

/** A body with no Content-Length, delivered in chunks like a chunked upload. */
function streamedRequest(chunks: Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  // Node's fetch needs duplex "half" for a stream body; the DOM typings do not list it yet.
  const init: RequestInit & { duplex: "half" } = { method: "POST", body, duplex: "half" };
  return new Request(URL_, init);
}

function bytes(count: number, fill = 0x61): Uint8Array<ArrayBuffer> {
  return new Uint8Array(count).fill(fill);
}

async function caught(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("renderProblem", () => {
  it("answers application/problem+json with type, title, status, code and detail", async () => {
    const problem = new Problem(422, "validation_failed", "The ticket payload is invalid.", {
      fields: [{ path: "customer.email", message: "must be an email address" }],
    });

    const response = renderProblem(problem, "req-123");

    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "https://errors.ticket-pipeline.dev/validation_failed",
      title: "Validation failed",
      status: 422,
      code: "validation_failed",
      detail: "The ticket payload is invalid.",
      errors: [{ path: "customer.email", message: "must be an email address" }],
      requestId: "req-123",
    });
  });

  it("adds the problem's own headers", () => {
    const problem = new Problem(429, "rate_limited", "Slow down.", {
      headers: { "retry-after": "60" },
    });

    const response = renderProblem(problem);

    expect(response.headers.get("retry-after")).toBe("60");
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("never includes the stack or the cause, whatever the cause says", async () => {
    const cause = new Error("duplicate key value (tenant_id)=(secret-tenant) password=hunter2");
    const problem = new Problem(400, "bad_request", "The request is invalid.", { cause });

    const text = await renderProblem(problem).text();

    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["code", "detail", "status", "title", "type"]);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("secret-tenant");
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(text).not.toContain("stack");
    expect(text).not.toContain("cause");
  });
});

describe("renderInternalError", () => {
  it("says only that the server failed, with status 500 and the request id", async () => {
    const response = renderInternalError("req-9");

    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "https://errors.ticket-pipeline.dev/internal_error",
      title: "Internal error",
      status: 500,
      code: "internal_error",
      detail: "The server failed to handle the request.",
      requestId: "req-9",
    });
  });
});

describe("readBodyWithLimit", () => {
  it("accepts a body of exactly the limit", async () => {
    const request = new Request(URL_, { method: "POST", body: bytes(LIMIT_BYTES) });

    const body = await readBodyWithLimit(request, LIMIT_BYTES);

    expect(body).toEqual(bytes(LIMIT_BYTES));
  });

  it("refuses a body one byte over the limit with 413 body_too_large", async () => {
    const request = new Request(URL_, { method: "POST", body: bytes(LIMIT_BYTES + 1) });

    const error = await caught(() => readBodyWithLimit(request, LIMIT_BYTES));

    expect(isProblem(error)).toBe(true);
    expect(error).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const request = new Request(URL_, {
      method: "POST",
      body: "small",
      headers: { "content-length": String(LIMIT_BYTES + 1) },
    });

    const error = await caught(() => readBodyWithLimit(request, LIMIT_BYTES));

    expect(error).toMatchObject({ status: 413, code: "body_too_large" });
    expect(request.bodyUsed).toBe(false);
  });

  it("refuses a body that outgrows a Content-Length that lied", async () => {
    const request = new Request(URL_, {
      method: "POST",
      body: bytes(LIMIT_BYTES * 2),
      headers: { "content-length": "10" },
    });

    const error = await caught(() => readBodyWithLimit(request, LIMIT_BYTES));

    expect(error).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("refuses a streamed body without Content-Length once it passes the limit", async () => {
    const request = streamedRequest([bytes(40), bytes(40), bytes(40)]);
    expect(request.headers.get("content-length")).toBeNull();

    const error = await caught(() => readBodyWithLimit(request, LIMIT_BYTES));

    expect(error).toMatchObject({ status: 413, code: "body_too_large" });
  });

  it("joins a streamed body of exactly the limit from its chunks", async () => {
    const request = streamedRequest([bytes(32, 0x61), bytes(31, 0x62), bytes(1, 0x63)]);

    const body = await readBodyWithLimit(request, LIMIT_BYTES);

    expect(new TextDecoder().decode(body)).toBe(`${"a".repeat(32)}${"b".repeat(31)}c`);
  });

  it("returns no bytes for a request without a body", async () => {
    const request = new Request(URL_, { method: "POST" });

    expect(await readBodyWithLimit(request, LIMIT_BYTES)).toHaveLength(0);
  });
});

describe("decodeUtf8", () => {
  it("decodes valid UTF-8, multi-byte characters included", () => {
    const text = "Überweisung fehlgeschlagen 💳";

    expect(decodeUtf8(new TextEncoder().encode(text))).toBe(text);
  });

  it.each([
    ["a lone continuation byte", [0x61, 0x80, 0x62]],
    ["a truncated multi-byte sequence", [0xe2, 0x82]],
    ["an overlong encoding of '/'", [0xc0, 0xaf]],
    ["an encoded UTF-16 surrogate", [0xed, 0xa0, 0x80]],
    ["a byte that never occurs in UTF-8", [0xff]],
  ])("rejects %s with a 400 Problem instead of substituting U+FFFD", async (_label, input) => {
    const error = await caught(() => decodeUtf8(new Uint8Array(input)));

    expect(isProblem(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: "bad_request" });
  });
});
