// The receiver's HTTP surface (CONTRACT section 6): the Alertmanager webhook, the admin API behind the admin token,
// and the unauthenticated /metrics, /-/healthy and /-/ready. Every answer is JSON or plain text with nosniff, so
// label text an alert carries is never taken for markup. The webhook's POSTs go straight to their handler; express
// routes the rest.

import type { RequestListener } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { adminRoutes } from './admin-routes.js';
import type { WebhookCredentials } from './auth.js';
import { answerKnownError, answerUnexpectedError } from './error-responses.js';
import { WEBHOOK_PATH, type WebhookHandler, isWebhookRequest, webhookHandler } from './webhook-route.js';
import type { Receiver } from '../../receiver/receiver.js';
import { healthRoutes } from '../health-routes.js';
import { EXPOSITION_CONTENT_TYPE } from '../../metrics/exposition.js';

export interface ReceiverAppOptions {
  receiver: Receiver;
  webhookCredentials: WebhookCredentials;
  /** VIGIL_ADMIN_TOKEN; absent disables the admin API. */
  adminToken: string | undefined;
  isReady(): boolean;
  logger: Logger;
}

/** The receiver server's request listener. */
export function createReceiverListener(options: ReceiverAppOptions): RequestListener {
  const webhook = webhookHandler({
    receiver: options.receiver,
    credentials: options.webhookCredentials,
    logger: options.logger,
  });
  const app = createReceiverApp(options, webhook);
  return (req, res) => {
    if (isWebhookRequest(req)) void webhook(req, res);
    else app(req, res);
  };
}

function createReceiverApp(options: ReceiverAppOptions, webhook: WebhookHandler): Express {
  const { receiver, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });

  // The spellings express also accepts (a trailing slash, other letter case).
  app.post(WEBHOOK_PATH, (req, res) => webhook(req, res));

  app.get('/metrics', async (_req, res) => {
    const text = await receiver.metrics.render();
    res.set('Content-Type', EXPOSITION_CONTENT_TYPE).set('Cache-Control', 'no-store').end(text);
  });

  app.use(healthRoutes('Vigil receiver', () => options.isReady()));

  app.use(adminRoutes({ receiver, adminToken: options.adminToken }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
    if (!answerKnownError(res, error)) answerUnexpectedError(res, error, logger);
    // The client's mistake (or a known state such as an unknown alert): nothing an operator has to act on.
    else
      logger.debug(
        { method: req.method, path: req.path, status: res.statusCode, problem: error.message },
        'request refused',
      );
  });
  return app;
}
