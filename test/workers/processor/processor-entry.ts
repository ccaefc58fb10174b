import processor from "../../../workers/processor/src/index.ts";

/**
 * The processor as deployed, hosting TenantHub itself: in production the hub lives in
 * the dashboard worker and the processor reaches it by `script_name`, which a single
 * test worker cannot express.
 */
export { TenantHub } from "../../../workers/dashboard/src/tenant-hub.ts";
export default processor;
