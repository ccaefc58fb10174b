import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { ticketPayloadSchema } from "../../shared/tickets/schema.ts";
import {
  complaintToTicket,
  loadDemoComplaints,
  slugifyCompany,
} from "../../scripts/lib/complaint-to-ticket.ts";
import { parseCsv, parseCsvRecords } from "../../scripts/lib/csv.ts";

const DEMO_URL = new URL("../../scripts/demo/cfpb-complaints-demo.csv", import.meta.url);
const SOURCE_URL = new URL("../../../shared/data/cfpb-complaints-sample.csv", import.meta.url);
const SOURCE_PATH = fileURLToPath(SOURCE_URL);
const SOURCE_EXISTS = existsSync(SOURCE_PATH);

// The subset is the 3 companies with the most rows once TransUnion is left out: its 159 rows alone
// exceed the 100-row budget for the demo. See scripts/demo/SOURCE.md.
const DEMO_COMPANIES = [
  "WELLS FARGO & COMPANY",
  "Experian Information Solutions Inc.",
  "CITIBANK, N.A.",
];
const COMPANY_COLUMN = 7;

const demoText = readFileSync(DEMO_URL, "utf8");

/**
 * Cuts CSV text into raw records, each with its line break, without decoding any field. Kept apart
 * from parseCsv on purpose: the byte-for-byte check must not trust the parser under test.
 */
function splitRawRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    // A doubled quote flips the state twice, which is exactly right.
    if (char === '"') inQuotes = !inQuotes;
    else if (char === "\n" && !inQuotes) {
      records.push(text.slice(start, index + 1));
      start = index + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

describe("parseCsv", () => {
  it("keeps a comma inside a quoted field", () => {
    expect(parseCsv('a,"b,c",d\n')).toEqual([["a", "b,c", "d"]]);
  });

  it("turns a doubled quote into one quote", () => {
    expect(parseCsv('"say ""hi""",x\n')).toEqual([['say "hi"', "x"]]);
    expect(parseCsv('"""",""\n')).toEqual([['"', ""]]);
  });

  it("keeps CRLF and LF inside quoted fields and ends records at either", () => {
    const text = '"l1\r\nl2","l3\nl4"\r\nnext,row\nlast,one\r\n';
    expect(parseCsv(text)).toEqual([
      ["l1\r\nl2", "l3\nl4"],
      ["next", "row"],
      ["last", "one"],
    ]);
  });

  it("adds no record for a trailing line break and keeps a record without one", () => {
    expect(parseCsv("a,b\r\n")).toEqual([["a", "b"]]);
    expect(parseCsv("a,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("")).toEqual([]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(parseCsv(",\n")).toEqual([["", ""]]);
    expect(parseCsv('a,,""\n')).toEqual([["a", "", ""]]);
    expect(parseCsv("a,")).toEqual([["a", ""]]);
  });

  it("treats a quote inside an unquoted field as text", () => {
    expect(parseCsv('5" screen,x\n')).toEqual([['5" screen', "x"]]);
  });

  it("drops a leading byte order mark", () => {
    expect(parseCsv("\uFEFFid,name\n")).toEqual([["id", "name"]]);
  });

  it("names the line where an unterminated quote opens", () => {
    expect(() => parseCsv('a,b\r\nc,"d\ne,f\n')).toThrow(/^CSV line 2: unterminated quoted field/);
  });

  it("rejects text after a closing quote, naming the line", () => {
    expect(() => parseCsv('a\n"x\ny"z,w\n')).toThrow(/^CSV line 3: unexpected "z" after/);
  });
});

describe("parseCsvRecords", () => {
  it("keys each record by the header row", () => {
    expect(parseCsvRecords('id,note\r\n1,"a, b"\r\n2,\r\n')).toEqual([
      { id: "1", note: "a, b" },
      { id: "2", note: "" },
    ]);
    expect(parseCsvRecords("id,note\n")).toEqual([]);
    expect(parseCsvRecords("")).toEqual([]);
  });

  it("rejects a record whose field count differs from the header, naming the line", () => {
    expect(() => parseCsvRecords('id,note\n1,"multi\nline"\n2\n')).toThrow(
      "CSV line 4: expected 2 fields, found 1",
    );
  });

  it("rejects a repeated column name", () => {
    expect(() => parseCsvRecords("id,id\n1,2\n")).toThrow('duplicate column "id"');
  });

  it("does not let a __proto__ column reach the prototype", () => {
    const [record] = parseCsvRecords("__proto__\nx\n");
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.hasOwn(record ?? {}, "__proto__")).toBe(true);
  });
});

describe("slugifyCompany", () => {
  const SLUG_SHAPE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  it("lowercases and joins words with single hyphens", () => {
    expect(slugifyCompany("TRANSUNION INTERMEDIATE HOLDINGS, INC.")).toBe(
      "transunion-intermediate-holdings-inc",
    );
    expect(slugifyCompany("WELLS FARGO & COMPANY")).toBe("wells-fargo-company");
    expect(slugifyCompany("CITIBANK, N.A.")).toBe("citibank-n-a");
  });

  it("trims hyphens at both ends and folds accents", () => {
    expect(slugifyCompany("  --Acme!! ")).toBe("acme");
    expect(slugifyCompany("Société Générale")).toBe("societe-generale");
  });

  it("caps the slug at 48 characters without a trailing hyphen", () => {
    const slug = slugifyCompany(`${"a".repeat(47)} bcd`);
    expect(slug).toBe("a".repeat(47));
    const long = slugifyCompany("The Very Long Name Of A National Banking Association Of America");
    expect(long.length).toBeLessThanOrEqual(48);
    expect(long).toMatch(SLUG_SHAPE);
  });

  it("throws when nothing usable is left", () => {
    expect(() => slugifyCompany(" & ")).toThrow("Cannot derive a tenant slug");
  });
});

describe("complaintToTicket", () => {
  const demoRecords = parseCsvRecords(demoText);
  const findRecord = (id: string): Record<string, string> => {
    const record = demoRecords.find((candidate) => candidate["Complaint ID"] === id);
    if (record === undefined) throw new Error(`complaint ${id} is not in the demo subset`);
    return record;
  };

  it("maps a real complaint", () => {
    const record = findRecord("7270502");
    const narrative = record["Consumer complaint narrative"] ?? "";
    expect(narrative.startsWith("On XX/XX/2023, I paid {$5300.00} for two XXXX air")).toBe(true);
    expect(complaintToTicket(record)).toEqual({
      company: "CITIBANK, N.A.",
      tenantSlug: "citibank-n-a",
      ticket: {
        externalId: "7270502",
        subject:
          "Problem with a purchase shown on your statement: " +
          "Credit card company isn't resolving a dispute about a purchase on your statement",
        body: narrative,
        category: "Credit card or prepaid card",
        customer: { name: "Consumer in PA", email: "complaint-7270502@customers.example" },
      },
    });
  });

  it("uses the Issue alone when the Sub-issue is empty", () => {
    const ticket = complaintToTicket(findRecord("7262123")).ticket;
    expect(ticket.subject).toBe("Wrong amount charged or received");
  });

  const base = {
    "Complaint ID": "42",
    Product: "Mortgage",
    Issue: "Trouble during payment process",
    "Sub-issue": "",
    "Consumer complaint narrative": "  Paid twice.\nStill waiting.  ",
    Company: "Example Bank",
    State: "",
  };

  it("keeps the narrative unchanged and falls back to a plain customer name", () => {
    const { ticket } = complaintToTicket(base);
    expect(ticket.body).toBe(base["Consumer complaint narrative"]);
    expect(ticket.customer).toEqual({ name: "Consumer", email: "complaint-42@customers.example" });
  });

  it("leaves out the category when Product is empty", () => {
    expect(complaintToTicket({ ...base, Product: "" }).ticket).not.toHaveProperty("category");
  });

  it("truncates a long subject to 200 characters ending with an ellipsis", () => {
    const { subject } = complaintToTicket({
      ...base,
      Issue: "x".repeat(150),
      "Sub-issue": "y".repeat(150),
    }).ticket;
    expect(subject).toHaveLength(200);
    expect(subject.endsWith("y…")).toBe(true);
  });

  it("throws naming the Complaint ID when a required column is missing", () => {
    const withoutColumn = (column: string): Record<string, string> =>
      Object.fromEntries(Object.entries(base).filter(([name]) => name !== column));
    expect(() => complaintToTicket(withoutColumn("Issue"))).toThrow(
      'complaint 42: missing column "Issue"',
    );
    expect(() => complaintToTicket(withoutColumn("Company"))).toThrow(
      'complaint 42: missing column "Company"',
    );
    expect(() => complaintToTicket(withoutColumn("Complaint ID"))).toThrow(
      'complaint with no Complaint ID: missing column "Complaint ID"',
    );
  });

  it("throws naming the Complaint ID when the narrative is empty", () => {
    expect(() => complaintToTicket({ ...base, "Consumer complaint narrative": "" })).toThrow(
      'complaint 42: empty "Consumer complaint narrative"',
    );
    expect(() => complaintToTicket({ ...base, "Consumer complaint narrative": " \n " })).toThrow(
      "complaint 42",
    );
  });

  it("rejects a Complaint ID that cannot sit in an email address", () => {
    expect(() => complaintToTicket({ ...base, "Complaint ID": "4 2" })).toThrow("complaint 4 2");
  });
});

describe("loadDemoComplaints", () => {
  const header = "Complaint ID,Issue,Consumer complaint narrative,Company";

  it("rejects a repeated Complaint ID", () => {
    const csv = `${header}\n1,Issue,Text,Bank\n1,Issue,Other text,Bank\n`;
    expect(() => loadDemoComplaints(csv)).toThrow(
      "complaint 1: Complaint ID appears more than once",
    );
  });

  it("rejects two companies that share a slug", () => {
    const csv = `${header}\n1,Issue,Text,Acme Inc\n2,Issue,Text,ACME INC.\n`;
    expect(() => loadDemoComplaints(csv)).toThrow("share the tenant slug");
  });
});

describe("shipped demo subset", () => {
  const complaints = loadDemoComplaints(demoText);
  const demoRows = parseCsv(demoText).slice(1);

  it("maps every row without error into a ticket ingest accepts", () => {
    expect(complaints).toHaveLength(demoRows.length);
    expect(complaints.length).toBeGreaterThanOrEqual(40);
    expect(complaints.length).toBeLessThanOrEqual(100);
    for (const { ticket } of complaints) {
      const result = ticketPayloadSchema.safeParse(ticket);
      expect(result.success, `complaint ${ticket.externalId}: ${result.error?.message}`).toBe(true);
    }
  });

  it("has one tenant slug per company", () => {
    const companies = new Set(complaints.map((complaint) => complaint.company));
    const slugs = new Set(complaints.map((complaint) => complaint.tenantSlug));
    expect(companies).toEqual(new Set(DEMO_COMPANIES));
    expect(slugs).toEqual(new Set([...companies].map(slugifyCompany)));
    expect(slugs.size).toBe(companies.size);
  });
});

describe.skipIf(!SOURCE_EXISTS)(
  SOURCE_EXISTS
    ? "shipped demo subset against the shared source"
    : `shipped demo subset against the shared source (skipped: ${SOURCE_PATH} is missing)`,
  () => {
    // latin1 maps each byte to one character, so string equality here is byte equality.
    const demoRaw = readFileSync(DEMO_URL, "latin1");
    const sourceRaw = SOURCE_EXISTS ? readFileSync(SOURCE_URL, "latin1") : "";
    const demoRecords = splitRawRecords(demoRaw);
    const sourceRecords = splitRawRecords(sourceRaw);

    it("splits both files into records that rebuild them exactly", () => {
      expect(demoRecords.join("")).toBe(demoRaw);
      expect(sourceRecords.join("")).toBe(sourceRaw);
    });

    it("copies the header and every record byte for byte, in source order", () => {
      expect(demoRecords[0]).toBe(sourceRecords[0]);
      let previous = 0;
      for (const record of demoRecords.slice(1)) {
        const position = sourceRecords.indexOf(record, previous + 1);
        expect(
          position,
          `record not found in source (or out of order): ${record.slice(0, 60)}`,
        ).toBeGreaterThan(previous);
        previous = position;
      }
    });

    const sourceRows = parseCsv(sourceRaw).slice(1);

    it("chose the most frequent companies that fit the 100-row budget", () => {
      const counts = new Map<string, number>();
      for (const row of sourceRows) {
        const company = row[COMPANY_COLUMN] ?? "";
        counts.set(company, (counts.get(company) ?? 0) + 1);
      }
      const fitting = [...counts]
        .filter(([, count]) => count <= 100)
        .sort(([, left], [, right]) => right - left);
      expect(fitting.slice(0, 3).map(([company]) => company)).toEqual(DEMO_COMPANIES);
      // A tie at the cut-off would make the choice arbitrary.
      expect(fitting[2]?.[1]).toBeGreaterThan(fitting[3]?.[1] ?? 0);
    });

    it("holds every source row of the chosen companies and no other", () => {
      const chosen = new Set(DEMO_COMPANIES);
      const expectedIds = sourceRows
        .filter((row) => chosen.has(row[COMPANY_COLUMN] ?? ""))
        .map((row) => row[0]);
      expect(
        parseCsv(demoRaw)
          .slice(1)
          .map((row) => row[0]),
      ).toEqual(expectedIds);
    });
  },
);

if (!SOURCE_EXISTS) {
  console.warn(`demo-data.test.ts: ${SOURCE_PATH} is missing; skipping the byte-for-byte check`);
}
