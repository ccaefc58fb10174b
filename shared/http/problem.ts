/**
 * One vocabulary of client-facing failures, rendered as RFC 9457 problem details.
 * Every 4xx this product returns is a `Problem`; anything else is a bug and becomes
 * a generic 500 that tells the client nothing about the cause.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Stable, machine-readable codes. Clients match on these; never rename one. */
export type ProblemCode =
  | "bad_request"
  | "body_too_large"
  | "csrf_rejected"
  | "forbidden"
  | "internal_error"
  | "invalid_credentials"
  | "invalid_json"
  | "invalid_signature"
  | "method_not_allowed"
  | "missing_header"
  | "not_found"
  | "rate_limited"
  | "stale_timestamp"
  | "unauthenticated"
  | "service_unavailable"
  | "unsupported_media_type"
  | "upgrade_required"
  | "validation_failed";

const TITLES: Record<ProblemCode, string> = {
  bad_request: "Bad request",
  body_too_large: "Request body too large",
  csrf_rejected: "Cross-site request rejected",
  forbidden: "Forbidden",
  internal_error: "Internal error",
  invalid_credentials: "Invalid credentials",
  invalid_json: "Malformed JSON",
  invalid_signature: "Invalid signature",
  method_not_allowed: "Method not allowed",
  missing_header: "Missing header",
  not_found: "Not found",
  rate_limited: "Too many requests",
  stale_timestamp: "Stale timestamp",
  unauthenticated: "Authentication required",
  service_unavailable: "Service unavailable",
  unsupported_media_type: "Unsupported media type",
  upgrade_required: "Upgrade required",
  validation_failed: "Validation failed",
};

export interface ProblemField {
  path: string;
  message: string;
}

export class Problem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly fields: ProblemField[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ProblemCode,
    detail: string,
    options: { fields?: ProblemField[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = "Problem";
    this.status = status;
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }
}

export function isProblem(error: unknown): error is Problem {
  return error instanceof Problem;
}

export function renderProblem(problem: Problem, requestId?: string): Response {
  const body = {
    type: `https://errors.ticket-pipeline.dev/${problem.code}`,
    title: TITLES[problem.code],
    status: problem.status,
    code: problem.code,
    detail: problem.message,
    ...(problem.fields ? { errors: problem.fields } : {}),
    ...(requestId ? { requestId } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...problem.headers },
  });
}

/** The only answer a client gets for a failure we did not anticipate. */
export function renderInternalError(requestId?: string): Response {
  return renderProblem(
    new Problem(500, "internal_error", "The server failed to handle the request."),
    requestId,
  );
}
