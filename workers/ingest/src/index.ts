import {
  isProblem,
  Problem,
  renderInternalError,
  renderProblem,
} from "../../../shared/http/problem.ts";
import { createLogger, describeError } from "../../../shared/log.ts";
import type { IngestEnv } from "./env.ts";
import { receiveTicket } from "./receive-ticket.ts";

const logger = createLogger({ worker: "ingest" });

export default {
  async fetch(request, env): Promise<Response> {
    const requestId = request.headers.get("x-request-id") ?? undefined;
    const url = new URL(request.url);
    try {
      if (url.pathname !== "/v1/tickets") throw new Problem(404, "not_found", "No such resource.");
      if (request.method !== "POST") {
        throw new Problem(405, "method_not_allowed", "Use POST here.", {
          headers: { allow: "POST" },
        });
      }
      const accepted = await receiveTicket(request, env, new Date());
      logger.log("info", "ticket.accepted", { requestId, ...accepted });
      return Response.json({ id: accepted.ticketId, status: "queued" }, { status: 202 });
    } catch (error) {
      if (isProblem(error)) {
        logger.log("info", "ticket.rejected", {
          requestId,
          code: error.code,
          status: error.status,
        });
        return renderProblem(error, requestId);
      }
      logger.log("error", "ingest.unhandled", { requestId, ...describeError(error) });
      return renderInternalError(requestId);
    }
  },
} satisfies ExportedHandler<IngestEnv>;
