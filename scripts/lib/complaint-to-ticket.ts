/**
 * Turns CFPB Consumer Complaint Database rows into the tickets a merchant would send to the
 * webhook: Company is the merchant (tenant), Complaint ID the merchant's own ticket id.
 */
import { parseCsvRecords } from "./csv.ts";

export interface TicketPayload {
  /** The merchant's own ticket id, which ingest treats as the idempotency key. */
  externalId: string;
  subject: string;
  body: string;
  category?: string;
  customer: { name: string; email: string };
}

export interface DemoComplaint {
  company: string;
  tenantSlug: string;
  ticket: TicketPayload;
}

// Mirrors MAX_SUBJECT_CHARS in shared/tickets/schema.ts; the demo-data test checks every mapped
// ticket against that schema, so drift shows up there.
const MAX_SUBJECT_CHARS = 200;
const MAX_SLUG_CHARS = 48;
const ELLIPSIS = "…";

const COLUMN_ID = "Complaint ID";
const COLUMN_PRODUCT = "Product";
const COLUMN_ISSUE = "Issue";
const COLUMN_SUB_ISSUE = "Sub-issue";
const COLUMN_NARRATIVE = "Consumer complaint narrative";
const COLUMN_COMPANY = "Company";
const COLUMN_STATE = "State";

// The id becomes the local part of a made-up email address, so it must need no quoting there.
const SAFE_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * Derives a tenant slug: lowercase a-z, 0-9 and single hyphens, at most 48 characters.
 * Throws when nothing usable is left, because an empty slug cannot name a tenant.
 */
export function slugifyCompany(company: string): string {
  const slug = company
    // Splitting accented letters into letter plus mark keeps "é" as "e" instead of a hyphen.
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, MAX_SLUG_CHARS)
    .replace(/-+$/, "");
  if (slug === "") {
    throw new Error(`Cannot derive a tenant slug from company ${JSON.stringify(company)}`);
  }
  return slug;
}

/** Maps one CSV record to a demo ticket. Throws an Error naming the Complaint ID on bad input. */
export function complaintToTicket(record: Record<string, string>): DemoComplaint {
  const rawId = record[COLUMN_ID]?.trim() ?? "";
  const label = rawId === "" ? "complaint with no Complaint ID" : `complaint ${rawId}`;

  const requireValue = (column: string): string => {
    const value = record[column];
    if (value === undefined) throw new Error(`${label}: missing column ${JSON.stringify(column)}`);
    if (value.trim() === "") throw new Error(`${label}: empty ${JSON.stringify(column)}`);
    return value;
  };

  const id = requireValue(COLUMN_ID).trim();
  if (!SAFE_ID_PATTERN.test(id)) {
    throw new Error(`${label}: Complaint ID may only hold letters, digits, ".", "_" and "-"`);
  }
  const issue = requireValue(COLUMN_ISSUE).trim();
  const body = requireValue(COLUMN_NARRATIVE);
  const company = requireValue(COLUMN_COMPANY).trim();
  // These columns are optional in the CFPB export: older complaints often lack a sub-issue.
  const subIssue = record[COLUMN_SUB_ISSUE]?.trim() ?? "";
  const product = record[COLUMN_PRODUCT]?.trim() ?? "";
  const state = record[COLUMN_STATE]?.trim() ?? "";

  const ticket: TicketPayload = {
    externalId: id,
    subject: truncateText(subIssue === "" ? issue : `${issue}: ${subIssue}`, MAX_SUBJECT_CHARS),
    body,
    customer: {
      name: state === "" ? "Consumer" : `Consumer in ${state}`,
      email: `complaint-${id}@customers.example`,
    },
  };
  if (product !== "") ticket.category = product;

  return { company, tenantSlug: slugifyCompany(company), ticket };
}

/**
 * Parses the demo CSV and maps every record. Throws on a repeated Complaint ID, which ingest would
 * silently treat as a retry, and on two companies sharing a slug, which would merge two tenants.
 */
export function loadDemoComplaints(csvText: string): DemoComplaint[] {
  const complaints = parseCsvRecords(csvText).map(complaintToTicket);

  const seenIds = new Set<string>();
  const companyBySlug = new Map<string, string>();
  for (const { company, tenantSlug, ticket } of complaints) {
    if (seenIds.has(ticket.externalId)) {
      throw new Error(`complaint ${ticket.externalId}: Complaint ID appears more than once`);
    }
    seenIds.add(ticket.externalId);

    const owner = companyBySlug.get(tenantSlug);
    if (owner !== undefined && owner !== company) {
      throw new Error(
        `complaint ${ticket.externalId}: companies ${JSON.stringify(owner)} and ` +
          `${JSON.stringify(company)} share the tenant slug ${JSON.stringify(tenantSlug)}`,
      );
    }
    companyBySlug.set(tenantSlug, company);
  }
  return complaints;
}

function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars - ELLIPSIS.length;
  // Cutting between the halves of a surrogate pair would leave an invalid lone surrogate.
  const lastKept = text.charCodeAt(end - 1);
  if (lastKept >= 0xd800 && lastKept <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}
