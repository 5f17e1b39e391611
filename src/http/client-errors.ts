// The errors a client's request can raise inside express (a path parameter that is not valid percent-encoding) and
// its JSON body parser (too large, not JSON, another charset or encoding), as the RequestProblem that answers them:
// a 400, 413 or 415 naming what is wrong, never the 500 that stands for a fault of ours.

import type { ServerResponse } from 'node:http';
import { answerJson } from './json-answer.js';
import { RequestProblem } from './request-problem.js';

/** What express's router and body-parser (through http-errors) put on the errors they raise. */
interface HttpError extends Error {
  status?: unknown;
  expose?: unknown;
  type?: unknown;
  limit?: unknown;
}

/** Enough of a client's text to recognise it in the answer, and no more. */
const QUOTED_MAX = 64;

/** The RequestProblem for an error the request caused, or undefined for a fault of the server. */
export function clientProblem(error: unknown): RequestProblem | undefined {
  if (error instanceof RequestProblem) return error;
  if (!(error instanceof Error)) return undefined;
  const { status, type } = error as HttpError;
  if (error instanceof URIError && status === 400) return badPercentEncoding(error.message);
  if (typeof status !== 'number' || status < 400 || status > 499 || (error as HttpError).expose !== true)
    return undefined;
  switch (type) {
    case 'entity.too.large':
      return new RequestProblem(413, `body: larger than the limit of ${String((error as HttpError).limit)} bytes`);
    case 'entity.parse.failed':
      return new RequestProblem(400, `body: is not valid JSON (${error.message.slice(0, 120)})`);
    case 'charset.unsupported':
      return new RequestProblem(415, `Content-Type: ${error.message}; send UTF-8`);
    case 'encoding.unsupported':
      return new RequestProblem(415, `Content-Encoding: ${error.message}; send it uncompressed`);
    case 'request.aborted':
      return new RequestProblem(400, 'body: the request was aborted before its end');
    case 'request.size.invalid':
      return new RequestProblem(400, 'body: its length differs from its Content-Length');
    default:
      return new RequestProblem(status === 413 || status === 415 ? status : 400, error.message);
  }
}

/** express's router says `Failed to decode param '%ff%fe'`: the answer names the text that is not UTF-8. */
function badPercentEncoding(message: string): RequestProblem {
  const raw = /'(.*)'$/s.exec(message)?.[1] ?? '';
  const shown = raw.length > QUOTED_MAX ? `${raw.slice(0, QUOTED_MAX)}…` : raw;
  return new RequestProblem(
    400,
    `path: \`${shown}\` is not valid percent-encoding (each % must start an escape of UTF-8 bytes, e.g. %C3%A9)`,
  );
}

/** Answers a refused request; over 400 the body may not have been read, so the connection is closed rather than read. */
export function answerProblem(res: ServerResponse, problem: RequestProblem): void {
  answerJson(res, problem.status, { error: problem.message }, problem.status === 400 ? {} : { Connection: 'close' });
}
