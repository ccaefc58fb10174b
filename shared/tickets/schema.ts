import { z } from "zod";
import { findTextProblem, TEXT_PROBLEM_MESSAGES } from "../text.ts";

/** Limits on what a merchant may send; each bounds storage and what a model is shown. */
export const MAX_SUBJECT_CHARS = 200;
export const MAX_BODY_CHARS = 20_000;
export const MAX_EXTERNAL_ID_CHARS = 128;
export const MAX_CUSTOMER_NAME_CHARS = 200;
export const MAX_CATEGORY_CHARS = 200;
/** RFC 5321 section 4.5.3.1.3 limits a path to 256 octets, so an address to 254. */
export const MAX_EMAIL_CHARS = 254;

function plainText(maxChars: number, options: { singleLine: boolean }) {
  return z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(maxChars, `must be at most ${maxChars} characters`)
    .superRefine((text, context) => {
      const problem = findTextProblem(text, options);
      if (problem) context.addIssue({ code: "custom", message: TEXT_PROBLEM_MESSAGES[problem] });
    });
}

export const ticketPayloadSchema = z.strictObject({
  externalId: z
    .string()
    .min(1)
    .max(MAX_EXTERNAL_ID_CHARS)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
  subject: plainText(MAX_SUBJECT_CHARS, { singleLine: true }),
  body: plainText(MAX_BODY_CHARS, { singleLine: false }),
  category: plainText(MAX_CATEGORY_CHARS, { singleLine: true }).optional(),
  customer: z.strictObject({
    name: plainText(MAX_CUSTOMER_NAME_CHARS, { singleLine: true }),
    email: z.email().max(MAX_EMAIL_CHARS),
  }),
});

export type TicketPayload = z.infer<typeof ticketPayloadSchema>;

/** What ingest hands the processor. The processor validates it again: queues are input too. */
export const ticketMessageSchema = z.strictObject({
  version: z.literal(1),
  ticketId: z.uuid(),
  tenantId: z.uuid(),
  webhookId: z.string().min(1).max(128),
  receivedAt: z.iso.datetime(),
  ticket: ticketPayloadSchema,
});

export type TicketMessage = z.infer<typeof ticketMessageSchema>;
