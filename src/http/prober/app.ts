// The prober's HTTP surface (CONTRACT section 5): metrics, health, readiness and reload, then the routers of the JSON
// API and the status page, and the one boundary where errors become answers: a request a client got wrong is a 400,
// 413 or 415 logged at debug level, and only a fault of ours is a 500 logged as an error.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { EXPOSITION_CONTENT_TYPE } from '../../metrics/exposition.js';
import { requireAdmin } from '../admin-auth.js';
import { answerProblem, clientProblem } from '../client-errors.js';
import { healthRoutes } from '../health-routes.js';

export interface ReloadOutcome {
  ok: boolean;
  /** One line per problem, `FILE:LINE:COL: PATH: message`. */
  problems: string[];
}

/** What the prober app needs from the running prober. */
export interface ProberView {
  /** The exposition text in pieces (10,000 checks are tens of MB: streamed, never joined into one string). */
  metricsChunks(): Promise<Iterable<string>>;
  isReady(): boolean;
  reload(): Promise<ReloadOutcome>;
}

export interface ProberAppOptions {
  logger: Logger;
  /** VIGIL_ADMIN_TOKEN: `POST /-/reload` needs it, and without one only SIGHUP reloads. */
  adminToken: string | undefined;
  /** The JSON API over the store and the status page, mounted after the built-in endpoints. */
  routers?: readonly Router[];
}

/**
 * Reload over HTTP is behind the admin token: the port also serves the public status page, so whoever can read the
 * page must not be able to make the process re-read its files (Prometheus gates it behind --web.enable-lifecycle).
 */
const RELOAD_DISABLED =
  'reloading over HTTP needs the admin token: set VIGIL_ADMIN_TOKEN and send it as a bearer token, or send SIGHUP to the process';

export function createProberApp(prober: ProberView, options: ProberAppOptions): Express {
  const { logger, adminToken, routers = [] } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/metrics', async (req, res) => {
    const chunks = await prober.metricsChunks();
    res.setHeader('Content-Type', EXPOSITION_CONTENT_TYPE);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept-Encoding');
    let sink: Writable = res;
    if (/\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
      res.setHeader('Content-Encoding', 'gzip');
      const gzip = createGzip({ level: 1 });
      gzip.pipe(res);
      sink = gzip;
    }
    await writeChunks(sink, res, chunks);
    sink.end();
  });

  app.use(healthRoutes('Vigil', () => prober.isReady()));

  app.post('/-/reload', requireAdmin(adminToken, RELOAD_DISABLED), async (_req, res) => {
    const outcome = await prober.reload();
    if (outcome.ok) {
      res.type('text/plain').send('configuration reloaded\n');
      return;
    }
    res
      .status(400)
      .type('text/plain')
      .send(`configuration refused, the previous one keeps running:\n${outcome.problems.join('\n')}\n`);
  });

  for (const router of routers) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
    const problem = clientProblem(error);
    if (problem !== undefined && !res.headersSent) {
      logger.debug(
        { method: req.method, path: req.path, status: problem.status, problem: problem.message },
        'request refused',
      );
      answerProblem(res, problem);
      return;
    }
    logger.error({ err: error }, 'request failed');
    if (res.headersSent) res.destroy();
    else res.status(500).json({ error: 'internal error' });
  });
  return app;
}

/** Writes the chunks as they are rendered, waiting when the client is slower than we are; stops if it goes away. */
async function writeChunks(sink: Writable, res: Response, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!sink.write(chunk)) await drainedOrClosed(sink, res);
    if (res.destroyed) return;
  }
}

/** Waits for `drain` or the client's going away, and removes the listener of whichever did not happen. */
async function drainedOrClosed(sink: Writable, res: Response): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(sink, 'drain', { signal: done.signal }), once(res, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}
