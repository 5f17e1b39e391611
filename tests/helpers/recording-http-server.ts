// A local HTTP server standing in for a provider's API (a Slack webhook, Twilio's Messages API...): it records each
// request and answers as the test says, optionally late, so a channel's real client can be tested end to end.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

export interface CannedAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Hold the answer this long: a provider slower than the client's timeout. */
  delayMs?: number;
}

export class RecordingHttpServer {
  readonly received: RecordedRequest[] = [];
  answer: CannedAnswer;
  private readonly server: Server = createServer((request, response) => {
    void this.record(request).then(async () => {
      const { status, body, headers, delayMs } = this.answer;
      if (delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': this.contentType, ...headers });
      response.end(body);
    });
  });

  constructor(
    private readonly defaultAnswer: CannedAnswer,
    private readonly contentType = 'text/plain',
  ) {
    this.answer = defaultAnswer;
  }

  /** Listens on a port the system chooses; answers `http://127.0.0.1:PORT`. */
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Between tests: nothing received, the default answer again. */
  reset(): void {
    this.received.length = 0;
    this.answer = this.defaultAnswer;
  }

  private async record(request: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      contentType: request.headers['content-type'],
      authorization: request.headers.authorization,
      body: Buffer.concat(chunks).toString('utf8'),
    });
  }
}
