// Reads a JSON request body with a hard byte limit, straight off the socket: a declared Content-Length over the
// limit is refused before a byte is read, a streamed body is cut off the moment it passes the limit, so a 10 MB body
// costs at most `limit` bytes of memory. Only application/json (or +json) in UTF-8, uncompressed, is accepted.

import type { IncomingMessage } from 'node:http';
import { RequestProblem } from '../request-problem.js';

function mediaTypeProblem(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (header === undefined) return 'Content-Type: missing; send application/json';
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    return `Content-Type: ${JSON.stringify(type.slice(0, 64))} is not accepted; send application/json`;
  }
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return `Content-Type: charset ${JSON.stringify(charset.slice(0, 32))} is not accepted; send UTF-8`;
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity')
    return `Content-Encoding: ${JSON.stringify(encoding.slice(0, 32))} is not accepted; send it uncompressed`;
  return undefined;
}

const tooLarge = (limit: number): RequestProblem =>
  new RequestProblem(413, `body: larger than the limit of ${limit} bytes (receiver.body_limit)`);

/** The raw bytes of the body, at most `limit` of them; rejects with a RequestProblem. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Stop reading: the answer closes the connection, so the rest is never taken in.
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new RequestProblem(400, 'body: the request was aborted before its end'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** The parsed JSON body; 415 for other media types, 413 over the limit, 400 when empty or not JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const problem = mediaTypeProblem(req);
  if (problem !== undefined) throw new RequestProblem(415, problem);
  const bytes = await readBody(req, limit);
  if (bytes.length === 0) throw new RequestProblem(400, 'body: is empty; expected a JSON object');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new RequestProblem(400, `body: is not valid JSON${position === undefined ? '' : ` (at byte ${position})`}`);
  }
}
