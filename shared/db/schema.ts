import { sql } from "drizzle-orm";
import {
  check,
  index,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Every tenant-owned table carries `tenant_id`, and the RLS migration forces row-level
 * security on each of them, keyed by the transaction-local `app.tenant_id` setting.
 * Ids are UUIDv7, minted by the application.
 */

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const agents = pgTable(
  "agents",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull().default("agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Login finds an agent by email before it knows the tenant, so emails are global.
    uniqueIndex("agents_email_key").on(sql`lower(${table.email})`),
    index("agents_tenant_idx").on(table.tenantId),
    check("agents_role_check", sql`${table.role} in ('agent', 'admin')`),
  ],
);

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    externalId: text("external_id").notNull(),
    webhookId: text("webhook_id").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    category: text("category"),
    customerName: text("customer_name").notNull(),
    customerEmail: text("customer_email").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Either key identifies a redelivery: the merchant's own id, or the webhook message id.
    uniqueIndex("tickets_tenant_external_key").on(table.tenantId, table.externalId),
    uniqueIndex("tickets_tenant_webhook_key").on(table.tenantId, table.webhookId),
    index("tickets_tenant_received_idx").on(table.tenantId, table.receivedAt.desc()),
  ],
);

export const ticketSentiments = pgTable(
  "ticket_sentiments",
  {
    ticketId: uuid("ticket_id")
      .primaryKey()
      .references(() => tickets.id),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    label: text("label").notNull(),
    score: real("score").notNull(),
    analyzer: text("analyzer").notNull(),
    analyzedAt: timestamp("analyzed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("ticket_sentiments_tenant_idx").on(table.tenantId),
    check(
      "ticket_sentiments_label_check",
      sql`${table.label} in ('positive', 'neutral', 'negative')`,
    ),
    check("ticket_sentiments_score_check", sql`${table.score} between -1 and 1`),
  ],
);

export type TicketRow = typeof tickets.$inferSelect;
export type NewTicketRow = typeof tickets.$inferInsert;
