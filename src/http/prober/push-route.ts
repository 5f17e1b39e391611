// `GET|POST /api/v1/push/{check}`: a push check's job says it ran (a dead man's switch for cron jobs, backups, batch
// pipelines). The job authenticates with the check's own token, as `Authorization: Bearer <token>` or `?token=`;
// the admin token is not one of them. Optional query parameters: `status` (up, down, degraded; up when absent),
// `msg`, `duration_ms`.
//
// An id that is not a push check is 404 and a wrong or missing token 401, both with the same body shape and after
// the same constant-time comparison, so the answer's timing says nothing more than its status.

import { Router, type Request, type Response } from 'express';
import type { PushCheck } from '../../model/check.js';
import type { ExternalReport } from '../../results/external-results.js';
import { bearerToken, tokenMatches } from '../admin-auth.js';
import { parseSyntheticItem } from './synthetic-body.js';

export interface PushRouteDeps {
  /** The enabled or disabled push check with this id; undefined for any other id. */
  pushCheck(checkId: string): PushCheck | undefined;
  /** The check's token as read from its `token_env` or `token_file` at the last (re)load. */
  token(checkId: string): string | undefined;
  accept(reports: readonly ExternalReport[]): void;
}

/** Compared against when there is no check, so an unknown id costs what a known one does. */
const NO_TOKEN = 'no push check has this token';

export function pushRoute(deps: PushRouteDeps): Router {
  const router = Router();
  const handle = (req: Request, res: Response): void => {
    res.setHeader('Cache-Control', 'no-store');
    const checkId = String(req.params['check']);
    const check = deps.pushCheck(checkId);
    const expected = check === undefined ? undefined : deps.token(checkId);
    const presented = presentedToken(req);
    const matches = tokenMatches(presented ?? '', expected ?? NO_TOKEN) && presented !== undefined;
    if (check === undefined) {
      res.status(404).json({ error: 'no push check with this id' });
      return;
    }
    if (expected === undefined || !matches) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vigil-push"');
      res.status(401).json({ error: 'missing or wrong push token' });
      return;
    }
    const now = Date.now();
    const item = {
      check: checkId,
      status: queryText(req.query['status']) ?? 'up',
      ...optionalField('message', queryText(req.query['msg'])),
      ...optionalField('duration_ms', durationParameter(req.query['duration_ms'])),
    };
    const report = parseSyntheticItem(item, { isCheck: () => true, now, maxSkewMs: 0, maxAgeMs: Infinity });
    if (typeof report === 'string') {
      res.status(400).json({ error: report.replace(/^message:/, 'msg:') });
      return;
    }
    deps.accept([{ ...report, heardAt: now }]);
    res.json({ accepted: true, check: checkId, status: report.status, at: new Date(now).toISOString() });
  };
  router.get('/api/v1/push/:check', handle);
  router.post('/api/v1/push/:check', handle);
  return router;
}

function presentedToken(req: Request): string | undefined {
  return bearerToken(req) ?? queryText(req.query['token']);
}

/** A query parameter given once; a repeated or nested one counts as absent. */
function queryText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `duration_ms` as a number when it reads as one, else as given (so the parser names it). */
function durationParameter(value: unknown): unknown {
  const text = queryText(value);
  if (text === undefined) return undefined;
  return /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
}

function optionalField(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}
