export interface EdgeEnv {
  INGEST: Fetcher;
  DASHBOARD: Fetcher;
  WEBHOOK_RATE_LIMITER: RateLimit;
  DASHBOARD_RATE_LIMITER: RateLimit;
  LOGIN_RATE_LIMITER: RateLimit;
}
