// A real express server on 127.0.0.1:0 serving statusRoutes from a given source, with the same 404 and error
// boundary the prober app has, so the tests see what a visitor would.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { statusRoutes } from '../../../src/http/status-routes.js';
import type { StatusSource } from '../../../src/status/status-source.js';

export interface StatusServer {
  /** Without a trailing slash, e.g. http://127.0.0.1:43121 */
  url: string;
  close(): Promise<void>;
}

export async function startStatusServer(source: StatusSource, adminToken: string | undefined): Promise<StatusServer> {
  const app = express();
  app.use(statusRoutes(source, adminToken));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((_error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: 'internal error' });
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
