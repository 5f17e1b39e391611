// The receiver's HTTP surface (CONTRACT section 6): the Alertmanager webhook, the admin API behind the admin token,
// and the unauthenticated /metrics, /-/healthy and /-/ready. Every answer is JSON or plain text with nosniff, so
// label text an alert carries is never taken for markup. The webhook's POSTs go straight to their handler; express
// routes the rest.

import type { RequestListener } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { adminRoutes } from '../receiver/api/admin-routes.js';
import type { WebhookCredentials } from '../receiver/api/auth.js';
import { answerKnownError, answerUnexpectedError } from '../receiver/api/error-responses.js';
import { WEBHOOK_PATH, type WebhookHandler, isWebhookRequest, webhookHandler } from '../receiver/api/webhook-route.js';
import type { Receiver } from '../receiver/receiver.js';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.js';

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
  const webhook = webhookHandler({ receiver: options.receiver, credentials: options.webhookCredentials, logger: options.logger });
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

  app.get('/-/healthy', (_req, res) => {
    res.type('text/plain').send('Vigil receiver is Healthy.\n');
  });

  app.get('/-/ready', (_req, res) => {
    if (options.isReady()) res.type('text/plain').send('Vigil receiver is Ready.\n');
    else res.status(503).type('text/plain').send('Vigil receiver is not ready.\n');
  });

  app.use(adminRoutes({ receiver, adminToken: options.adminToken }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (!answerKnownError(res, error)) answerUnexpectedError(res, error, logger);
  });
  return app;
}
