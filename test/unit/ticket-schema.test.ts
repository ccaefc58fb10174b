import { describe, expect, it } from "vitest";
import { createUuidV7 } from "../../shared/ids.ts";
import type { TicketMessage, TicketPayload } from "../../shared/tickets/schema.ts";
import {
  MAX_BODY_CHARS,
  MAX_CATEGORY_CHARS,
  MAX_CUSTOMER_NAME_CHARS,
  MAX_EMAIL_CHARS,
  MAX_EXTERNAL_ID_CHARS,
  MAX_SUBJECT_CHARS,
  ticketMessageSchema,
  ticketPayloadSchema,
} from "../../shared/tickets/schema.ts";

function validPayload(): TicketPayload {
  return {
    externalId: "order-48213",
    subject: "Card declined at checkout",
    body: "My card was declined twice.\nThe bank says there is no block on it.",
    category: "payments",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
  };
}

function validMessage(): TicketMessage {
  return {
    version: 1,
    ticketId: createUuidV7(),
    tenantId: createUuidV7(),
    webhookId: "msg_2f1e0c9a",
    receivedAt: "2026-11-17T09:30:00.000Z",
    ticket: validPayload(),
  };
}

function emailOfLength(length: number): string {
  const domain = "@example.com";
  return `${"a".repeat(length - domain.length)}${domain}`;
}

/** The distinct paths of the fields a failed parse names, e.g. ["customer.email"]. */
function failedPaths(input: unknown): string[] {
  const result = ticketPayloadSchema.safeParse(input);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.path.join(".")))];
}

describe("ticketPayloadSchema: valid input", () => {
  it("accepts a complete payload unchanged", () => {
    const result = ticketPayloadSchema.safeParse(validPayload());

    expect(result.success).toBe(true);
    expect(result.data).toEqual(validPayload());
  });

  it("accepts a payload without the optional category", () => {
    const payload: Partial<TicketPayload> = validPayload();
    delete payload.category;

    expect(ticketPayloadSchema.safeParse(payload).success).toBe(true);
  });

  it("trims surrounding whitespace from text fields", () => {
    const payload = { ...validPayload(), subject: "  Card declined \t", body: "\n Help \n" };

    const parsed = ticketPayloadSchema.parse(payload);

    expect(parsed.subject).toBe("Card declined");
    expect(parsed.body).toBe("Help");
  });
});

describe("ticketPayloadSchema: length limits", () => {
  it.each([
    ["subject", MAX_SUBJECT_CHARS, (text: string) => ({ ...validPayload(), subject: text })],
    ["body", MAX_BODY_CHARS, (text: string) => ({ ...validPayload(), body: text })],
    ["category", MAX_CATEGORY_CHARS, (text: string) => ({ ...validPayload(), category: text })],
    [
      "customer.name",
      MAX_CUSTOMER_NAME_CHARS,
      (text: string) => ({
        ...validPayload(),
        customer: { ...validPayload().customer, name: text },
      }),
    ],
    [
      "externalId",
      MAX_EXTERNAL_ID_CHARS,
      (text: string) => ({ ...validPayload(), externalId: text }),
    ],
  ])("accepts %s at exactly %i characters and refuses one more", (path, maxChars, withText) => {
    expect(ticketPayloadSchema.safeParse(withText("x".repeat(maxChars))).success).toBe(true);

    expect(failedPaths(withText("x".repeat(maxChars + 1)))).toEqual([path]);
  });

  it(`accepts an email of exactly ${MAX_EMAIL_CHARS} characters and refuses one more`, () => {
    const withEmail = (email: string) => ({ ...validPayload(), customer: { name: "Ada", email } });

    expect(ticketPayloadSchema.safeParse(withEmail(emailOfLength(MAX_EMAIL_CHARS))).success).toBe(
      true,
    );
    expect(failedPaths(withEmail(emailOfLength(MAX_EMAIL_CHARS + 1)))).toEqual(["customer.email"]);
  });

  it.each([
    ["subject", { subject: "" }],
    ["subject", { subject: "   \t " }],
    ["body", { body: "\n\n" }],
    ["externalId", { externalId: "" }],
  ])("refuses an empty or blank %s", (path, override) => {
    expect(failedPaths({ ...validPayload(), ...override })).toEqual([path]);
  });
});

describe("ticketPayloadSchema: strictness", () => {
  it.each([
    ["a tenant id, which must come from the signature", { tenantId: createUuidV7() }],
    ["an unknown top-level field", { priority: "urgent" }],
    ["a prototype key", JSON.parse('{"__proto__": {"admin": true}}') as object],
  ])("refuses %s", (_label, extra) => {
    const result = ticketPayloadSchema.safeParse({ ...validPayload(), ...extra });

    expect(result.success).toBe(false);
  });

  it("refuses an unknown field inside customer", () => {
    const payload = { ...validPayload(), customer: { ...validPayload().customer, phone: "555" } };

    expect(failedPaths(payload)).toEqual(["customer"]);
  });

  it.each([
    ["a number as subject", { subject: 42 }],
    ["null as body", { body: null }],
    ["a missing customer", { customer: undefined }],
  ])("refuses %s", (_label, override) => {
    expect(ticketPayloadSchema.safeParse({ ...validPayload(), ...override }).success).toBe(false);
  });
});

describe("ticketPayloadSchema: control characters and line breaks", () => {
  it.each([
    ["NUL", "\u0000"],
    ["BEL", "\u0007"],
    ["backspace", "\u0008"],
    ["ESC, which starts terminal escape sequences", "\u001b[2J"],
    ["vertical tab", "\u000b"],
    ["form feed", "\u000c"],
    ["DEL", "\u007f"],
    // C1 controls are control characters too (Unicode category Cc); U+009B is the
    // single-character CSI that some terminals honour like ESC [.
    ["C1 CSI (U+009B)", "\u009b2J"],
    ["C1 NEL (U+0085)", "\u0085"],
  ])("refuses %s in subject, body, category and customer name", (_label, control) => {
    const text = `before ${control} after`;
    const payload = validPayload();

    expect(failedPaths({ ...payload, subject: text })).toEqual(["subject"]);
    expect(failedPaths({ ...payload, body: text })).toEqual(["body"]);
    expect(failedPaths({ ...payload, category: text })).toEqual(["category"]);
    expect(failedPaths({ ...payload, customer: { ...payload.customer, name: text } })).toEqual([
      "customer.name",
    ]);
  });

  it.each([
    ["LF", "\n"],
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ])("refuses a %s inside the subject and the customer name", (_label, lineBreak) => {
    const text = `Card declined${lineBreak}Bcc: everyone@example.com`;
    const payload = validPayload();

    expect(failedPaths({ ...payload, subject: text })).toEqual(["subject"]);
    expect(failedPaths({ ...payload, customer: { ...payload.customer, name: text } })).toEqual([
      "customer.name",
    ]);
  });

  it("keeps line breaks and tabs in the body", () => {
    const body = "Line one\r\nLine two\n\tindented";

    expect(ticketPayloadSchema.parse({ ...validPayload(), body }).body).toBe(body);
  });

  it.each([
    ["with a space", "order 1"],
    ["with a tab", "order\t1"],
    ["non-ASCII", "commande-é"],
  ])("refuses an externalId %s", (_label, externalId) => {
    expect(failedPaths({ ...validPayload(), externalId })).toEqual(["externalId"]);
  });
});

describe("ticketPayloadSchema: customer email", () => {
  it.each([
    ["no at sign", "ada.example.com"],
    ["no domain", "ada@"],
    ["no top-level domain", "ada@example"],
    ["two at signs", "ada@@example.com"],
    ["a display name", "Ada <ada@example.com>"],
    ["a header injection", "ada@example.com\r\nBcc: x@example.com"],
    ["surrounding spaces", " ada@example.com "],
  ])("refuses an email with %s", (_label, email) => {
    const payload = { ...validPayload(), customer: { name: "Ada", email } };

    expect(failedPaths(payload)).toEqual(["customer.email"]);
  });
});

describe("ticketMessageSchema", () => {
  it("accepts a version 1 message with UUIDs", () => {
    expect(ticketMessageSchema.safeParse(validMessage()).success).toBe(true);
  });

  it.each([
    ["a ticketId that is not a UUID", { ticketId: "ticket-1" }],
    ["a tenantId that is not a UUID", { tenantId: "alpha-bank" }],
    ["a tenantId with SQL in it", { tenantId: "' or 1=1 --" }],
    ["version 2", { version: 2 }],
    ["version as a string", { version: "1" }],
    ["no version", { version: undefined }],
    ["an empty webhookId", { webhookId: "" }],
    ["a webhookId over 128 characters", { webhookId: "m".repeat(129) }],
    ["a receivedAt that is not ISO 8601", { receivedAt: "yesterday" }],
    ["an unknown field", { retries: 3 }],
    ["an invalid ticket", { ticket: { ...validPayload(), subject: "" } }],
  ])("refuses %s", (_label, override) => {
    expect(ticketMessageSchema.safeParse({ ...validMessage(), ...override }).success).toBe(false);
  });
});
