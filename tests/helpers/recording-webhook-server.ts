// A local HTTP server on port 0 standing in for a webhook provider (Slack, a generic webhook receiver): it records
// every request it receives, with when it arrived, and answers as the test says: the queued answers first, in
// order, then `answer`.

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived (Unix milliseconds), for the time between a provider's answer and the next try. */
  at: number;
}

export interface WebhookAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export class RecordingWebhookServer {
  readonly received: ReceivedRequest[] = [];
  answer: WebhookAnswer;
  /** Answers for the next requests, one each, before `answer` applies again. */
  readonly queued: WebhookAnswer[] = [];
  private readonly server: Server = createServer((request, response) => {
    void this.record(request).then(() => {
      const answer = this.queued.shift() ?? this.answer;
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      response.end(answer.body);
    });
  });

  constructor(private readonly defaultAnswer: WebhookAnswer) {
    this.answer = defaultAnswer;
  }

  /** Starts listening; answers the server's base URL (`http://127.0.0.1:PORT`). */
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Forgets what it received and answers the default again, between tests. */
  reset(): void {
    this.received.length = 0;
    this.queued.length = 0;
    this.answer = this.defaultAnswer;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async record(request: IncomingMessage): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      contentType: request.headers['content-type'],
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at,
    });
  }
}
