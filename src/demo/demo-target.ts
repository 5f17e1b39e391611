// A small target served beside the stack by `npm start` (`vigil start --demo`), so the shipped checks show every
// status on a machine with no internet: a healthy, a slow, a flaky and a failing endpoint.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListenAddress } from '../config/types.js';
import { startHttpServer } from '../http/server.js';

export interface DemoTarget {
  url: string;
  close(): Promise<void>;
}

/** How long /slow takes; the shipped check warns at 250 ms. */
const SLOW_MS = 400;

export async function startDemoTarget(listen: ListenAddress, random: () => number = Math.random): Promise<DemoTarget> {
  const server = await startHttpServer((req, res) => answer(req, res, random), listen);
  return { url: server.url, close: () => server.stop() };
}

function answer(req: IncomingMessage, res: ServerResponse, random: () => number): void {
  const path = (req.url ?? '/').split('?')[0];
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  switch (path) {
    case '/healthy':
      return json(200, { status: 'ok', version: '1.0.0' });
    case '/slow':
      setTimeout(() => json(200, { status: 'ok' }), SLOW_MS).unref();
      return;
    case '/flaky':
      // Fails about every other request: the check flips between healthy and down.
      return random() < 0.5 ? json(200, { status: 'ok' }) : json(503, { status: 'unavailable' });
    case '/failing':
      return json(500, { status: 'error', error: 'database connection pool exhausted' });
    default:
      return json(404, { error: 'not found', endpoints: ['/healthy', '/slow', '/flaky', '/failing'] });
  }
}
