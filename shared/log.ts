/**
 * JSON logs, one event per line. Ticket text, tokens, secrets and passwords never
 * belong in a log: callers pass identifiers and counts, and `redactFields` drops any
 * field whose name suggests otherwise, so a careless call cannot leak one.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

const REDACTED = "[redacted]";

/** Field names whose values are ticket text or credentials, whatever their type. */
const SENSITIVE_FIELD =
  /body|subject|text|narrative|password|secret|token|cookie|authorization|signature|email|name|summary|prompt/i;

/** Fields whose names match the pattern above but carry only identifiers. */
const ALLOWED_FIELDS = new Set(["worker", "route", "queue", "analyzer", "errorName"]);

export function redactFields(fields: LogFields): LogFields {
  const safe: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    safe[key] = SENSITIVE_FIELD.test(key) && !ALLOWED_FIELDS.has(key) ? REDACTED : value;
  }
  return safe;
}

export function createLogger(
  base: LogFields = {},
  sink: LogSink = (line) => console.log(line),
  now: () => Date = () => new Date(),
): Logger {
  return {
    log(level, event, fields = {}) {
      // Fields may not relabel a line: the logger's own keys are dropped from them.
      const {
        time: _time,
        level: _level,
        event: _event,
        ...safe
      } = redactFields({ ...base, ...fields });
      sink(JSON.stringify({ time: now().toISOString(), level, event, ...safe }));
    },
    child(fields) {
      return createLogger({ ...base, ...fields }, sink, now);
    },
  };
}

/**
 * Only the error's class and code are logged, never its message: database drivers echo
 * bound values (ticket text, emails) in theirs.
 */
export function describeError(error: unknown): LogFields {
  if (error instanceof Error) return { errorName: error.name, errorCode: codeOf(error) };
  return { errorName: typeof error };
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
