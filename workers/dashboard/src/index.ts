import { app } from "./app.ts";
import type { DashboardEnv } from "./env.ts";

export { LoginThrottle } from "./login-throttle.ts";
export { TenantHub } from "./tenant-hub.ts";

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<DashboardEnv>;
