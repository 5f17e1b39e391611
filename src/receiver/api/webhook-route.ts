// POST /api/v1/alertmanager: credentials, then media type and size, then the v4 schema, then one durable write;
// only then 200. Each rejection is counted by outcome and answered with a message naming what to fix.

import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { RequestProblem, StoreUnavailable } from '../errors.js';
import { validateWebhook } from '../payload/validate-webhook.js';
import type { Receiver } from '../receiver.js';
import type { NotificationOutcome } from '../receiver-metrics.js';
import { type WebhookCredentials, challenge, webhookAuthorized } from './auth.js';
import { answerKnownError } from './error-responses.js';
import { readJsonBody } from './json-body.js';

export interface WebhookRouteOptions {
  receiver: Receiver;
  credentials: WebhookCredentials;
  logger: Logger;
}

const OUTCOME_BY_STATUS: Record<RequestProblem['status'], NotificationOutcome> = {
  400: 'invalid',
  401: 'unauthorized',
  413: 'too_large',
  415: 'unsupported_media_type',
};

export function webhookHandler(options: WebhookRouteOptions): RequestHandler {
  const { receiver, credentials, logger } = options;
  const { metrics } = receiver;
  const refuse = (res: Response, problem: RequestProblem): void => {
    metrics.notification(OUTCOME_BY_STATUS[problem.status]);
    logger.info({ status: problem.status, problem: problem.message }, 'webhook notification refused');
    answerKnownError(res, problem);
  };
  return async (req: Request, res: Response) => {
    if (!webhookAuthorized(credentials, req.get('authorization'))) {
      const scheme = challenge(credentials.mode);
      if (scheme !== undefined) res.set('WWW-Authenticate', scheme);
      refuse(res, new RequestProblem(401, 'missing or wrong credentials (receiver.auth)'));
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, receiver.settings.bodyLimitBytes);
    } catch (error) {
      if (!(error instanceof RequestProblem)) throw error;
      refuse(res, error);
      return;
    }
    const validation = validateWebhook(body, receiver.clock.now());
    if (!validation.ok) {
      refuse(res, new RequestProblem(400, validation.problem));
      return;
    }
    try {
      const summary = await receiver.ingest.ingest(validation.alerts);
      metrics.notification('accepted');
      res.json({ status: 'stored', alerts: summary.alerts, outcomes: summary.outcomes, truncated_alerts: validation.payload.truncatedAlerts ?? 0 });
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      metrics.notification('store_unavailable');
      logger.error({ err: error.cause }, 'could not store a webhook notification; answered 503 so Alertmanager retries');
      answerKnownError(res, error);
    }
  };
}
