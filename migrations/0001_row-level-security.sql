-- Least privilege inside the database: each worker connects as its own role, none of
-- them owns a table, and row-level security is forced on every tenant-owned table, so
-- even a query that forgets its tenant filter sees only the current tenant's rows.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ticket_writer') THEN
    CREATE ROLE ticket_writer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ticket_reader') THEN
    CREATE ROLE ticket_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ticket_auth') THEN
    CREATE ROLE ticket_auth NOLOGIN;
  END IF;
END
$$;
--> statement-breakpoint
-- The tenant of the current transaction, or NULL (matching no row) when none was set.
CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE agents ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE agents FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE tickets FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE ticket_sentiments ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE ticket_sentiments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());--> statement-breakpoint
CREATE POLICY tenant_isolation ON agents
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());--> statement-breakpoint
CREATE POLICY tenant_isolation ON tickets
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());--> statement-breakpoint
CREATE POLICY tenant_isolation ON ticket_sentiments
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());--> statement-breakpoint
-- Login must find an agent by email before any tenant is known. Only this role may
-- read across tenants, only agents, and only through the function below.
CREATE POLICY login_lookup ON agents FOR SELECT TO ticket_auth USING (true);--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO ticket_writer, ticket_reader, ticket_auth;--> statement-breakpoint
GRANT SELECT ON agents TO ticket_auth;--> statement-breakpoint
GRANT SELECT ON tenants TO ticket_writer, ticket_reader;--> statement-breakpoint
GRANT SELECT, INSERT ON tickets, ticket_sentiments TO ticket_writer;--> statement-breakpoint
GRANT SELECT ON tickets, ticket_sentiments TO ticket_reader;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_find_agent(login_email text)
  RETURNS TABLE (agent_id uuid, tenant_id uuid, email text, password_hash text, role text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT a.id, a.tenant_id, a.email, a.password_hash, a.role
    FROM agents a
    WHERE lower(a.email) = lower(login_email)
  $$;--> statement-breakpoint
ALTER FUNCTION auth_find_agent(text) OWNER TO ticket_auth;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_agent(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_agent(text) TO ticket_reader;
