import { describe, expect, it } from "vitest";
import type { LogFields } from "../../shared/log.ts";
import { createLogger, describeError, redactFields } from "../../shared/log.ts";

const NOW = new Date("2026-11-17T09:30:00.000Z");
const REDACTED = "[redacted]";

/** A logger writing into an array, with a fixed clock. */
function captureLogger(base: LogFields = {}): {
  lines: string[];
  logger: ReturnType<typeof createLogger>;
} {
  const lines: string[] = [];
  const logger = createLogger(
    base,
    (line) => lines.push(line),
    () => NOW,
  );
  return { lines, logger };
}

function parseLine(line: string | undefined): Record<string, unknown> {
  expect(line).toBeDefined();
  return JSON.parse(line ?? "") as Record<string, unknown>;
}

/** A driver error shaped like pg's, whose message and detail echo bound values. */
class FakeDatabaseError extends Error {
  readonly code = "23505";
  readonly detail = "Key (customer_email)=(ada@example.com) already exists.";
  constructor() {
    super('duplicate key value violates unique constraint; value "hunter2-password"');
    this.name = "DatabaseError";
  }
}

describe("createLogger: line format", () => {
  it("writes each event as one line holding one JSON object with time, level and event", () => {
    const { lines, logger } = captureLogger({ worker: "ingest" });

    logger.log("info", "ticket.queued", { ticketId: "0190-a", count: 1 });
    logger.log("warn", "ticket.slow", { durationMs: 1200 });

    expect(lines).toHaveLength(2);
    expect(parseLine(lines[0])).toEqual({
      time: NOW.toISOString(),
      level: "info",
      event: "ticket.queued",
      worker: "ingest",
      ticketId: "0190-a",
      count: 1,
    });
    expect(parseLine(lines[1])).toMatchObject({
      level: "warn",
      event: "ticket.slow",
      durationMs: 1200,
    });
  });

  it("keeps a line on one line even when a value holds line breaks and quotes", () => {
    const { lines, logger } = captureLogger();

    logger.log("error", "edge.unhandled", { route: '/v1/tickets\n{"level":"info"}\r' });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\r]/);
    expect(parseLine(lines[0])).toMatchObject({ level: "error", event: "edge.unhandled" });
  });

  it("does not let a field overwrite the time, level or event of a line", () => {
    // Guards against a careless field (or a child's base field) disguising an error as noise.
    const { lines, logger } = captureLogger();

    logger.log("error", "queue.batch_failed", { level: "debug", event: "heartbeat", time: "1970" });

    expect(parseLine(lines[0])).toMatchObject({
      time: NOW.toISOString(),
      level: "error",
      event: "queue.batch_failed",
    });
  });

  it("carries a child's fields into every line, redacted like the rest", () => {
    const { lines, logger } = captureLogger({ worker: "dashboard" });

    logger.child({ requestId: "req-1", sessionToken: "abc" }).log("info", "login.succeeded");

    expect(parseLine(lines[0])).toMatchObject({
      worker: "dashboard",
      requestId: "req-1",
      sessionToken: REDACTED,
    });
  });
});

describe("redactFields", () => {
  it.each([
    "body",
    "subject",
    "password",
    "secret",
    "token",
    "email",
    "signature",
    "cookie",
    "authorization",
    "customerEmail",
    "customerName",
    "webhookSecret",
    "webhookSignature",
    "sessionToken",
    "requestBody",
    "setCookie",
    "PASSWORD",
    "Email",
  ])("redacts a field named %s", (name) => {
    const { lines, logger } = captureLogger();

    logger.log("info", "probe", { [name]: "sensitive-value" });

    expect(parseLine(lines[0])[name]).toBe(REDACTED);
    expect(lines[0]).not.toContain("sensitive-value");
  });

  it("redacts whatever the value's type", () => {
    expect(redactFields({ password: 1234, token: true, secret: null })).toEqual({
      password: REDACTED,
      token: REDACTED,
      secret: REDACTED,
    });
  });

  it.each([
    ["tenantId", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e8f"],
    ["ticketId", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e90"],
    ["agentId", "0190c6e4-5a0b-7c1d-8e2f-3a4b5c6d7e91"],
    ["requestId", "req-123"],
    ["webhookId", "msg_2f1e0c9a"],
    ["keyId", "whk_abc"],
    ["worker", "ingest"],
    ["route", "/v1/tickets"],
    ["queue", "tickets"],
    ["analyzer", "lexicon"],
    ["status", 202],
    ["count", 3],
    ["durationMs", 12],
  ])("lets the identifier or count %s through", (name, value) => {
    const { lines, logger } = captureLogger();

    logger.log("info", "probe", { [name]: value });

    expect(parseLine(lines[0])[name]).toBe(value);
  });
});

describe("describeError", () => {
  it("keeps only the error's name and code, never its message or detail", () => {
    const described = describeError(new FakeDatabaseError());

    expect(described).toEqual({ errorName: "DatabaseError", errorCode: "23505" });
    expect(JSON.stringify(described)).not.toMatch(/hunter2|ada@example\.com/);
  });

  it("names only the type of something thrown that is not an Error", () => {
    expect(describeError("password=hunter2")).toEqual({ errorName: "string" });
    expect(describeError({ secret: "x" })).toEqual({ errorName: "object" });
  });

  it("leaves the code out when it is not a string", () => {
    const error = Object.assign(new TypeError("bad"), { code: 42 });

    expect(describeError(error)).toEqual({ errorName: "TypeError", errorCode: undefined });
  });

  it("survives the logger's redaction, so an error line still says what failed", () => {
    // Guards against the redaction pattern eating the error's class name: a line that says
    // only "[redacted]" leaves an operator nothing to act on.
    const { lines, logger } = captureLogger();

    logger.log("error", "tickets.batch_failed", {
      count: 2,
      ...describeError(new FakeDatabaseError()),
    });

    const line = parseLine(lines[0]);
    expect(line.errorName).toBe("DatabaseError");
    expect(line.errorCode).toBe("23505");
    expect(lines[0]).not.toMatch(/hunter2|ada@example\.com/);
  });
});
