import { join } from "node:path";
import { describeTenants, PROJECT_ROOT, startDevStack } from "./lib/dev-stack.ts";

/**
 * `npm run dev`: Postgres (embedded unless DATABASE_URL is set), the loopback Neon
 * bridge, migrations, demo tenants, and all four workers in one `wrangler dev`.
 */
const port = Number(process.env.PORT ?? 8787);
const stack = await startDevStack({
  stateDir: join(PROJECT_ROOT, ".wrangler/dev"),
  databaseUrl: process.env.DATABASE_URL,
  port,
  log: (line) => console.log(line),
  onWranglerOutput: (chunk) => process.stdout.write(chunk),
});

const demoCommand = port === 8787 ? "npm run demo" : `DEMO_URL=${stack.url} npm run demo`;
console.log(`
Ticket pipeline is running.

  Dashboard   ${stack.url}/login
  Webhook     POST ${stack.url}/v1/tickets

Demo tenants (their secrets live in .wrangler/dev/dev-state.local.json):
${describeTenants(stack.state.tenants)}

Replay real complaints as signed webhooks:  ${demoCommand}
Stop with Ctrl-C.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  });
}
