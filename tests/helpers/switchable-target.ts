// A local HTTP service whose endpoints a test takes down and brings back: every path answers 200 `ok` until the
// test marks it down, then 503 until it marks it up again. Stands in for the services a pipeline test's checks watch.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export class SwitchableTarget {
  private readonly down = new Set<string>();
  private readonly server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://target').pathname;
    const failing = this.down.has(path);
    response.writeHead(failing ? 503 : 200, { 'content-type': 'text/plain' });
    response.end(failing ? 'service unavailable\n' : 'ok\n');
  });

  /** Listens on loopback; answers the base URL `http://127.0.0.1:PORT`. */
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  setDown(path: string, down: boolean): void {
    if (down) this.down.add(path);
    else this.down.delete(path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
