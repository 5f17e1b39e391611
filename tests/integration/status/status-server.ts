// A real express server on 127.0.0.1:0 serving statusRoutes from a given source, with the same 404 and error
// boundary the prober app has, so the tests see what a visitor would.

import express, { type NextFunction, type Request, type Response } from 'express';
import { statusRoutes } from '../../../src/http/prober/status-routes.js';
import { startHttpServer } from '../../../src/http/server.js';
import type { StatusSource } from '../../../src/status/status-source.js';
import type { RenderedPagesOptions } from '../../../src/status/rendered-pages.js';

export interface StatusServer {
  /** Without a trailing slash, e.g. http://127.0.0.1:43121 */
  url: string;
  close(): Promise<void>;
}

export async function startStatusServer(
  source: StatusSource,
  adminToken: string | undefined,
  reuse: RenderedPagesOptions = {},
): Promise<StatusServer> {
  const app = express();
  app.use(statusRoutes(source, adminToken, reuse));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((_error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: 'internal error' });
  });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  return { url: server.url, close: () => server.stop() };
}
