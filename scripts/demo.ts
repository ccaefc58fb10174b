import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadDemoComplaints } from "./lib/complaint-to-ticket.ts";
import type { DevState } from "./lib/dev-state.ts";
import { DEMO_CSV, PROJECT_ROOT } from "./lib/dev-stack.ts";
import { sendSignedTicket } from "./lib/webhook-client.ts";

/**
 * `npm run demo`: replays real CFPB complaints against the running dev stack, each as a
 * webhook signed with its company's (tenant's) secret. Webhook ids are derived from the
 * complaint id, so replaying twice creates no duplicates.
 */
const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.DEMO_URL ?? "http://127.0.0.1:8787" },
    limit: { type: "string" },
    "delay-ms": { type: "string", default: "400" },
    tenant: { type: "string" },
  },
});

const statePath = join(PROJECT_ROOT, ".wrangler/dev/dev-state.local.json");
if (!existsSync(statePath)) {
  console.error(
    "No demo tenants yet: start the stack with `npm run dev` first, then run this again.",
  );
  process.exit(1);
}
const state = JSON.parse(await readFile(statePath, "utf8")) as DevState;
const delayMs = Number(values["delay-ms"]);
let complaints = loadDemoComplaints(await readFile(DEMO_CSV, "utf8"));
if (values.tenant) {
  const slugs = state.tenants.map((tenant) => tenant.slug);
  if (!slugs.includes(values.tenant)) {
    console.error(`No tenant with slug "${values.tenant}". Known slugs: ${slugs.join(", ")}`);
    process.exit(2);
  }
  complaints = complaints.filter((complaint) => complaint.tenantSlug === values.tenant);
}
if (values.limit) complaints = complaints.slice(0, Number(values.limit));

let accepted = 0;
for (const complaint of complaints) {
  const tenant = state.tenants.find((candidate) => candidate.slug === complaint.tenantSlug);
  if (!tenant) throw new Error(`no demo tenant for ${complaint.company}; run npm run dev again`);
  const response = await sendSignedTicket(values.url, tenant, complaint.ticket, {
    webhookId: `msg_cfpb_${complaint.ticket.externalId}`,
  });
  const outcome =
    response.status === 202 ? "queued" : `rejected ${response.status} ${await response.text()}`;
  if (response.status === 202) accepted++;
  console.log(`${complaint.company.padEnd(38)} #${complaint.ticket.externalId}  ${outcome}`);
  if (delayMs > 0) await new Promise((done) => setTimeout(done, delayMs));
}
console.log(
  `\n${accepted} of ${complaints.length} complaints accepted. Watch them at ${values.url}/tickets`,
);
