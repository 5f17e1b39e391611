// A JSON answer written with node:http alone, so the webhook (the receiver's hot path) and express's routes answer
// alike: UTF-8 JSON, its length, and nosniff so label text an alert carries is never taken for markup. Headers set
// before with setHeader (WWW-Authenticate) are kept; `headers` adds others (Retry-After, Connection).

import type { ServerResponse } from 'node:http';

export function answerJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}
