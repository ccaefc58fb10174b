import { Problem } from "./problem.ts";

/**
 * Reads a request body, refusing it as soon as it passes `maxBytes`, whether or not the
 * client declared a Content-Length (a chunked upload declares none, and a declared
 * length can lie).
 */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await readChunk(reader);
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A client that disconnects or sends a broken stream mid-body made a bad request. */
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (error) {
    throw new Problem(400, "bad_request", "The request body could not be read.", { cause: error });
  }
}

/**
 * Decodes exactly the bytes received: a byte-order mark is kept, not stripped, so what
 * is verified and parsed is what was signed (Standard Webhooks signs the raw body).
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new Problem(400, "bad_request", "The request body is not valid UTF-8.", { cause: error });
  }
}

function tooLarge(maxBytes: number): Problem {
  return new Problem(413, "body_too_large", `The request body must be at most ${maxBytes} bytes.`);
}
