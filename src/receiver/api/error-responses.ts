// The one place receiver errors become HTTP answers. Known errors get their status and a message meant for the
// caller; anything else is left to the app's last handler, which logs it once and answers 500.

import type { Response } from 'express';
import { AlertNotFound, RequestProblem, StoreUnavailable } from '../errors.js';
import { LifecycleConflict } from '../lifecycle/transitions.js';
import { SilenceError } from '../silences/alertmanager-silences.js';

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** Answers for a known error and returns true; returns false for anything else. */
export function answerKnownError(res: Response, error: unknown): boolean {
  if (error instanceof RequestProblem) {
    // The body may not have been read: close the connection rather than read what is left of it.
    if (error.status !== 400) res.set('Connection', 'close');
    res.status(error.status).json({ error: error.message });
    return true;
  }
  if (error instanceof AlertNotFound) {
    res.status(404).json({ error: error.message });
    return true;
  }
  if (error instanceof LifecycleConflict) {
    res.status(409).json({ error: error.message, state: error.state });
    return true;
  }
  if (error instanceof SilenceError) {
    res.status(502).json({ error: `could not create the silence in Alertmanager: ${error.message}` });
    return true;
  }
  if (error instanceof StoreUnavailable) {
    res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ error: 'the alert store is unavailable; retry later' });
    return true;
  }
  return false;
}
