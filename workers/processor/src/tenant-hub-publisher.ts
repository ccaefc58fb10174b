import type { RealtimePublisher } from "../../../shared/ports.ts";
import type { ProcessorEnv } from "./env.ts";

/** One TenantHub per tenant, named by the tenant id: there is no shared channel to leak through. */
export function createTenantHubPublisher(namespace: ProcessorEnv["TENANT_HUB"]): RealtimePublisher {
  return {
    async publish(tenantId, events) {
      const hub = namespace.get(namespace.idFromName(tenantId));
      await hub.publishAll(events);
    },
  };
}
