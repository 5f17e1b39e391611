// The one place receiver errors become HTTP answers. Known errors get their status and a message meant for the
// caller; anything else is logged once and answered 500, by the webhook's handler and by express's last handler.

import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { answerProblem, clientProblem } from '../client-errors.js';
import { AlertNotFound, StoreUnavailable } from '../../receiver/errors.js';
import { LifecycleConflict } from '../../receiver/lifecycle/transitions.js';
import { SilenceError } from '../../receiver/silences/alertmanager-silences.js';
import { answerJson } from '../json-answer.js';

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** Answers for a known error and returns true; returns false for anything else. */
export function answerKnownError(res: ServerResponse, error: unknown): boolean {
  const problem = clientProblem(error);
  if (problem !== undefined) {
    answerProblem(res, problem);
    return true;
  }
  if (error instanceof AlertNotFound) {
    answerJson(res, 404, { error: error.message });
    return true;
  }
  if (error instanceof LifecycleConflict) {
    answerJson(res, 409, { error: error.message, state: error.state });
    return true;
  }
  if (error instanceof SilenceError) {
    answerJson(res, 502, { error: `could not create the silence in Alertmanager: ${error.message}` });
    return true;
  }
  if (error instanceof StoreUnavailable) {
    answerJson(
      res,
      503,
      { error: 'the alert store is unavailable; retry later' },
      { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    );
    return true;
  }
  return false;
}

/** Anything else: logged once, answered 500, or the connection cut when the answer had already begun. */
export function answerUnexpectedError(res: ServerResponse, error: unknown, logger: Logger): void {
  logger.error({ err: error }, 'receiver request failed');
  if (res.headersSent) res.destroy();
  else answerJson(res, 500, { error: 'internal error' });
}
