/** Bounds one tenant's fan-out cost; the broadcast benchmark measures 1,000 sockets. */
export const MAX_SOCKETS_PER_TENANT = 1_000;
/** A few browser tabs; without it one session could take the whole tenant's allowance. */
export const MAX_SOCKETS_PER_SESSION = 8;
