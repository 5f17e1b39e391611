// Status badges (shields-style SVG) for READMEs and wikis, public checks only:
//   GET /api/v1/badges/{check}/status.svg
//   GET /api/v1/badges/{check}/uptime.svg?window=7d          (an SLA window; 24h when absent)
//   GET /api/v1/badges/{check}/response-time.svg?window=24h  (mean duration of the window's results)
// A check is public when a public status-page component lists it. Any other id, private or unknown, is the same 404,
// so badges reveal nothing the public status page does not. Badges are cached briefly by browsers and proxies (a
// README is viewed far more often than a check runs).

import { Router, type Request, type Response } from 'express';
import type { CheckDefinition } from '../../model/check.js';
import type { CheckStatus } from '../../model/result.js';
import { SLA_WINDOW_NAMES, type SlaWindow } from '../../model/sla-window.js';
import type { SlaReport } from '../../sla/report.js';
import { isSlaWindow, windowRange } from '../../sla/windows.js';
import type { StoredResult } from '../../store/store.js';
import { renderBadge, type Badge, type BadgeColor } from './badge-svg.js';

export interface BadgeDeps {
  checks(): readonly CheckDefinition[];
  /** The checks the public may see (check-visibility.ts): badges are for those only. */
  publicCheckIds(): ReadonlySet<string>;
  status(checkId: string): CheckStatus;
  slaReport(window: SlaWindow, checkId: string): Promise<SlaReport | undefined>;
  results(checkId: string, query: { since: number; limit: number }): Promise<StoredResult[]>;
}

const CACHE_CONTROL = 'public, max-age=60';
/** The response-time badge averages at most this many of the window's newest results. */
const MAX_RESULTS = 10_000;

const STATUS_BADGES: Record<CheckStatus, { message: string; color: BadgeColor }> = {
  healthy: { message: 'up', color: 'green' },
  degraded: { message: 'degraded', color: 'yellow' },
  down: { message: 'down', color: 'red' },
  unknown: { message: 'unknown', color: 'grey' },
};

const SLA_COLORS: Record<SlaReport['status'], BadgeColor> = {
  compliant: 'green',
  warning: 'yellow',
  breached: 'red',
  no_data: 'grey',
};

export function badgeRoutes(deps: BadgeDeps): Router {
  const router = Router();

  router.get('/api/v1/badges/:check/status.svg', (req, res) => {
    const check = publicCheck(deps, req, res);
    if (!check) return;
    sendBadge(res, { label: check.name, ...STATUS_BADGES[deps.status(check.id)] });
  });

  router.get('/api/v1/badges/:check/uptime.svg', async (req, res) => {
    const check = publicCheck(deps, req, res);
    const window = check && badgeWindow(req, res);
    if (!check || !window) return;
    const report = await deps.slaReport(window, check.id);
    const percent = report?.uptimePercent;
    const message = percent === undefined ? 'no data' : `${formatPercent(percent)}%`;
    sendBadge(res, { label: `uptime ${window}`, message, color: SLA_COLORS[report?.status ?? 'no_data'] });
  });

  router.get('/api/v1/badges/:check/response-time.svg', async (req, res) => {
    const check = publicCheck(deps, req, res);
    const window = check && badgeWindow(req, res);
    if (!check || !window) return;
    const { from } = windowRange(window, Date.now());
    const results = await deps.results(check.id, { since: from, limit: MAX_RESULTS });
    const timed = results.filter((result) => result.status !== 'unknown');
    const label = `response time ${window}`;
    if (timed.length === 0) {
      sendBadge(res, { label, message: 'no data', color: 'grey' });
      return;
    }
    const meanMs = timed.reduce((sum, result) => sum + result.durationMs, 0) / timed.length;
    sendBadge(res, { label, message: `${Math.round(meanMs)} ms`, color: latencyColor(check, meanMs) });
  });

  return router;
}

/** The check when it is public; otherwise the 404 has been sent. */
function publicCheck(deps: BadgeDeps, req: Request, res: Response): CheckDefinition | undefined {
  const id = String(req.params['check']);
  const check = deps.publicCheckIds().has(id) ? deps.checks().find((candidate) => candidate.id === id) : undefined;
  if (!check) {
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.status(404).json({ error: 'no public check with this id' });
  }
  return check;
}

function badgeWindow(req: Request, res: Response): SlaWindow | undefined {
  const value: unknown = req.query['window'] ?? '24h';
  if (typeof value === 'string' && isSlaWindow(value)) return value;
  const shown = typeof value === 'string' ? value.slice(0, 40) : 'a list';
  res.status(400).json({ error: `window must be one of ${SLA_WINDOW_NAMES.join(', ')}, got \`${shown}\`` });
  return undefined;
}

function sendBadge(res: Response, badge: Badge): void {
  res.setHeader('Cache-Control', CACHE_CONTROL);
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.type('image/svg+xml').send(renderBadge(badge));
}

/** Three decimals at most, trailing zeros dropped: 97.917, 99.9, 100. */
export function formatPercent(percent: number): string {
  return String(Number(percent.toFixed(3)));
}

/** Green under the warn threshold, yellow under the critical one, red above; blue when the check sets neither. */
function latencyColor(check: CheckDefinition, meanMs: number): BadgeColor {
  const { warnMs, criticalMs } = check.performance;
  if (warnMs === undefined && criticalMs === undefined) return 'blue';
  if (criticalMs !== undefined && meanMs > criticalMs) return 'red';
  if (warnMs !== undefined && meanMs > warnMs) return 'yellow';
  return 'green';
}
