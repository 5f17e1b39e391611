// The prober's HTTP surface (CONTRACT section 5): metrics, health, readiness, reload and the checks API.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { CheckDefinition } from '../../model/check.js';
import { EXPOSITION_CONTENT_TYPE } from '../../metrics/exposition.js';
import type { CheckResult, CheckStatus } from '../../model/result.js';
import { shownMessage } from '../../status/public-message.js';
import { healthRoutes } from '../health-routes.js';
import { NEUTRAL_FOR_EVERYONE, type RawMessageAccess } from '../raw-messages.js';

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
  checks(): readonly CheckDefinition[];
  latest(checkId: string): CheckResult | undefined;
  status(checkId: string): CheckStatus;
}

/**
 * `routers` (the JSON API over the store, the status page) are mounted after the built-in endpoints; `rawMessages`
 * says who sees the probes' own messages in `/api/v1/checks`.
 */
export function createProberApp(
  prober: ProberView,
  logger: Logger,
  routers: readonly Router[] = [],
  rawMessages: RawMessageAccess = NEUTRAL_FOR_EVERYONE,
): Express {
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

  app.post('/-/reload', async (_req, res) => {
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

  app.get('/api/v1/checks', (req, res) => {
    const raw = rawMessages(req);
    res.json({ checks: prober.checks().map((check) => describeCheck(prober, check, raw)) });
  });

  for (const router of routers) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'internal error' });
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

function describeCheck(prober: ProberView, check: CheckDefinition, raw: boolean): Record<string, unknown> {
  const latest = prober.latest(check.id);
  return {
    id: check.id,
    name: check.name,
    type: check.type,
    group: check.group,
    component: check.component,
    service: check.service,
    enabled: check.enabled,
    interval_seconds: check.intervalMs / 1000,
    timeout_seconds: check.timeoutMs / 1000,
    status: prober.status(check.id),
    last_result: latest
      ? {
          status: latest.status,
          reason: latest.reason ?? null,
          message: shownMessage(latest, raw),
          duration_ms: Math.round(latest.durationMs * 10) / 10,
          started_at: new Date(latest.startedAt).toISOString(),
          finished_at: new Date(latest.finishedAt).toISOString(),
          consecutive_failures: latest.consecutiveFailures,
          http_status: latest.httpStatus ?? null,
        }
      : null,
  };
}
