// POST /api/v1/alertmanager: credentials, then media type and size, then the v4 schema, then one durable write;
// only then 200. Each rejection is counted by outcome and answered with a message naming what to fix. This is the
// receiver's hot path, so it is written against node:http alone: the receiver's server hands it the webhook's
// requests before express's router (express still routes the same handler for the spellings it accepts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RequestProblem } from '../request-problem.js';
import { StoreUnavailable } from '../../receiver/errors.js';
import { validateWebhook } from '../../receiver/payload/validate-webhook.js';
import type { Receiver } from '../../receiver/receiver.js';
import type { NotificationOutcome } from '../../metrics/receiver-metrics.js';
import { type WebhookCredentials, challenge, webhookAuthorized } from './auth.js';
import { answerKnownError, answerUnexpectedError } from './error-responses.js';
import { answerJson } from '../json-answer.js';
import { readJsonBody } from './json-body.js';

export const WEBHOOK_PATH = '/api/v1/alertmanager';

export interface WebhookRouteOptions {
  receiver: Receiver;
  credentials: WebhookCredentials;
  logger: Logger;
}

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const OUTCOME_BY_STATUS: Record<RequestProblem['status'], NotificationOutcome> = {
  400: 'invalid',
  401: 'unauthorized',
  413: 'too_large',
  415: 'unsupported_media_type',
};

/** True for a POST to the webhook's path as Alertmanager sends it (query string allowed). */
export function isWebhookRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return (
    req.method === 'POST' &&
    url.startsWith(WEBHOOK_PATH) &&
    (url.length === WEBHOOK_PATH.length || url[WEBHOOK_PATH.length] === '?')
  );
}

export function webhookHandler(options: WebhookRouteOptions): WebhookHandler {
  const { receiver, credentials, logger } = options;
  const { metrics } = receiver;
  const refuse = (res: ServerResponse, problem: RequestProblem): void => {
    metrics.notification(OUTCOME_BY_STATUS[problem.status]);
    logger.info({ status: problem.status, problem: problem.message }, 'webhook notification refused');
    answerKnownError(res, problem);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!webhookAuthorized(credentials, req.headers.authorization)) {
      const scheme = challenge(credentials.mode);
      if (scheme !== undefined) res.setHeader('WWW-Authenticate', scheme);
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
      const summary = await receiver.ingest.ingest(validation.notification);
      metrics.notification('accepted');
      answerJson(res, 200, {
        status: 'stored',
        alerts: summary.alerts,
        outcomes: summary.outcomes,
        truncated_alerts: validation.payload.truncatedAlerts ?? 0,
      });
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      metrics.notification('store_unavailable');
      logger.error(
        { err: error.cause },
        'could not store a webhook notification; answered 503 so Alertmanager retries',
      );
      answerKnownError(res, error);
    }
  };
  return async (req, res) => {
    try {
      await handle(req, res);
    } catch (error) {
      answerUnexpectedError(res, error, logger);
    }
  };
}
