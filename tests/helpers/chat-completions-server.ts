// A local HTTP server on port 0 speaking OpenAI's `POST /v1/chat/completions`, for the AI diagnosis tests: it keeps
// the raw body of every request (to prove what left Vigil) and answers as the test scripts it: a completion, an HTTP
// error, a slow answer.

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Exactly the bytes received. */
  rawBody: string;
  /** The body parsed, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface ChatAnswer {
  status: number;
  body: unknown;
  /** Wait this long before answering (a slow model). */
  delayMs?: number;
  headers?: Record<string, string>;
}

export type ChatScript = (request: ChatRequest) => ChatAnswer;

/** A chat completion whose single choice says `content`, the way OpenAI answers. */
export function completion(
  content: string | null,
  options: { finishReason?: string; refusal?: string } = {},
): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_767_225_600,
    model: 'test-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: options.refusal ?? null },
        finish_reason: options.finishReason ?? 'stop',
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

/** An OpenAI-style error body. */
export function apiError(message: string, type = 'invalid_request_error'): Record<string, unknown> {
  return { error: { message, type, param: null, code: null } };
}

export class ChatCompletionsServer {
  readonly requests: ChatRequest[] = [];
  script: ChatScript = () => ({ status: 500, body: apiError('no script set', 'server_error') });
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const received: ChatRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        rawBody,
        json: parseJson(rawBody),
      };
      this.requests.push(received);
      const answer =
        received.method === 'POST' && received.url === '/v1/chat/completions'
          ? this.script(received)
          : { status: 404, body: apiError(`no route ${received.method} ${received.url}`) };
      const send = (): void => {
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(text);
      };
      if (answer.delayMs === undefined) return send();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!response.destroyed) send();
      }, answer.delayMs);
      this.timers.add(timer);
    });
  });

  /** Starts listening; answers the base URL a client is given (`http://127.0.0.1:PORT/v1`). */
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Forgets the requests and the script, between tests. */
  reset(): void {
    this.requests.length = 0;
    this.script = () => ({ status: 500, body: apiError('no script set', 'server_error') });
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
