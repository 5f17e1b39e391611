// `POST /api/v1/synthetic-check` (CONTRACT section 5): results pushed by an outside runner, with the admin token. One
// object is answered as before (202 with the check, 400 with the problem); an array is a batch answered item by item,
// in the order sent: what was stored and when, or why not. 202 when any item was stored, else 400.

import { Router, json } from 'express';
import type { CheckDefinition } from '../../model/check.js';
import type { ExternalReport } from '../../results/external-results.js';
import { requireAdmin } from '../admin-auth.js';
import { parseSyntheticItem, syntheticItems, type SyntheticLimits } from './synthetic-body.js';

export interface SyntheticRouteDeps {
  checks(): readonly CheckDefinition[];
  /** Stores the reports through the same pipeline as the prober's own results. */
  accept(reports: readonly ExternalReport[]): void;
  /** How long stored results are kept: an older timestamp is refused. */
  resultsKeptMs(): number;
  adminToken: string | undefined;
}

/** A day of minutely results as JSON is about 250 KB; a larger body is refused with 413. */
const BODY_LIMIT = '1mb';
/** How far ahead of the prober's clock a runner's may be. */
export const MAX_CLOCK_SKEW_MS = 60_000;

export function syntheticRoute(deps: SyntheticRouteDeps): Router {
  const router = Router();
  router.post('/api/v1/synthetic-check', requireAdmin(deps.adminToken), json({ limit: BODY_LIMIT }), (req, res) => {
    const items = syntheticItems(req.body);
    if (typeof items === 'string') {
      res.status(400).json({ error: items });
      return;
    }
    const ids = new Set(deps.checks().map((check) => check.id));
    const limits: SyntheticLimits = {
      isCheck: (id) => ids.has(id),
      now: Date.now(),
      maxSkewMs: MAX_CLOCK_SKEW_MS,
      maxAgeMs: deps.resultsKeptMs(),
    };
    const parsed = items.map((item) => parseSyntheticItem(item, limits));
    const reports = parsed.filter((item): item is ExternalReport => typeof item !== 'string');
    if (reports.length > 0) deps.accept(reports);
    const answers = parsed.map((item) => describe(item, limits.now));
    const status = reports.length > 0 ? 202 : 400;
    if (!Array.isArray(req.body)) {
      res.status(status).json(answers[0]);
      return;
    }
    res.status(status).json({ accepted: reports.length, refused: parsed.length - reports.length, results: answers });
  });
  return router;
}

function describe(item: ExternalReport | string, now: number): Record<string, unknown> {
  if (typeof item === 'string') return { accepted: false, error: item };
  return {
    accepted: true,
    check: item.checkId,
    status: item.status,
    reason: item.reason ?? null,
    at: new Date(item.ranAt ?? now).toISOString(),
  };
}
