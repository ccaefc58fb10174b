import { Problem } from "./problem.ts";

/**
 * Accepts exactly one media type, in UTF-8. A body labelled with another charset would
 * be read as something other than what the client meant, so it is refused, not guessed.
 */
export function requireMediaType(request: Request, expected: string, hint: string): void {
  const [type = "", ...parameters] = (request.headers.get("content-type") ?? "").split(";");
  if (type.trim().toLowerCase() !== expected) {
    throw new Problem(415, "unsupported_media_type", hint);
  }
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith("charset="))
    ?.slice("charset=".length)
    .replaceAll('"', "");
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new Problem(415, "unsupported_media_type", `${hint} Only UTF-8 is accepted.`);
  }
}
