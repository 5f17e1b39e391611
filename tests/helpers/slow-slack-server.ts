// A Slack incoming webhook that answers slowly, on port 0: each POST is held and answered 200 in the next burst (see
// answer-bursts.ts). A message counts as received only once it was answered; one whose client vanished first was
// not delivered, since the client never learnt that it was.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnswerBursts } from './answer-bursts.js';

export class SlowSlackServer {
  /** The bodies of the messages answered 200, in answer order. */
  readonly delivered: string[] = [];
  private readonly server: Server = createServer((request, response) => void this.hold(request, response));

  constructor(private readonly bursts: AnswerBursts) {}

  /** Starts listening; answers the webhook URL (`http://127.0.0.1:PORT/services/...`). */
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/services/T000/B000/crash-test`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async hold(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let gone = false;
    // Before the answer is written, a close means the client went away (its process died, or it gave up).
    response.once('close', () => {
      gone = !response.writableEnded;
    });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of request) chunks.push(chunk as Buffer);
    } catch {
      // The client went away while it sent the body: nothing to hold.
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    this.bursts.hold({
      clientGone: () => gone,
      answer: () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('ok');
        this.delivered.push(body);
      },
    });
  }
}
