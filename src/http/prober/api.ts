// The prober's JSON API over stored data (CONTRACT section 5): a check's results, SLA per period, incidents, and
// results pushed by an outside runner. A receiver that shares no store with the prober reads its diagnosis evidence
// here: hence `until` on the results (the last result before an incident opened) and `first_result_at` (how long
// the check's history is).

import { Router, json, type Request, type Response } from 'express';
import type { CheckDefinition } from '../../model/check.js';
import type { SlaReport } from '../../sla/report.js';
import { isSlaWindow } from '../../sla/windows.js';
import { SLA_WINDOW_NAMES, type SlaWindow } from '../../model/sla-window.js';
import type { CheckResult, CheckStatus, FailureReason } from '../../model/result.js';
import type { Incident, StoredResult } from '../../store/store.js';
import { neutralMessage, neutralReason } from '../../status/public-message.js';
import { requireAdmin } from '../admin-auth.js';
import type { RawMessageAccess } from '../raw-messages.js';

export interface ProberApiDeps {
  checks(): readonly CheckDefinition[];
  results(checkId: string, query: { since?: number; until?: number; limit: number }): Promise<StoredResult[]>;
  /** When the check's earliest stored result started; undefined when it has none. */
  firstResultAt(checkId: string): Promise<number | undefined>;
  slaReports(window: SlaWindow, checkIds?: readonly string[]): Promise<Map<string, SlaReport>>;
  incidents(query: { checkId?: string; since?: number; openOnly: boolean; limit: number }): Promise<Incident[]>;
  /** Accepts a result from an outside runner into the same pipeline as the prober's own. */
  push(result: CheckResult): void;
  adminToken: string | undefined;
  /** Whether a request sees the probes' own messages; neutral words by reason otherwise. */
  rawMessages?: RawMessageAccess;
}

const MAX_LIMIT = 10_000;
const STATUSES: readonly CheckStatus[] = ['healthy', 'degraded', 'down', 'unknown'];
const REASONS: readonly FailureReason[] = [
  'slow',
  'timeout',
  'dns',
  'connect',
  'tls',
  'status_code',
  'header',
  'body',
  'json_path',
  'error',
];

export function proberApi(deps: ProberApiDeps): Router {
  const router = Router();
  const raw = deps.rawMessages ?? (() => false);

  router.get('/api/v1/checks/:id/results', async (req, res) => {
    const check = findCheck(deps, req, res);
    if (!check) return;
    const since = parseTime(req.query['since'], 'since', res);
    if (since === null) return;
    const until = parseTime(req.query['until'], 'until', res);
    if (until === null) return;
    const limit = parseLimit(req.query['limit'], 1000, res);
    if (limit === null) return;
    const [results, firstResultAt] = await Promise.all([
      deps.results(check.id, {
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        limit,
      }),
      deps.firstResultAt(check.id),
    ]);
    res.json({
      check: check.id,
      first_result_at: firstResultAt === undefined ? null : new Date(firstResultAt).toISOString(),
      results: results.map((result) => describeResult(result, raw(req))),
    });
  });

  router.get('/api/v1/sla', async (req, res) => {
    const period = typeof req.query['period'] === 'string' ? req.query['period'] : '30d';
    if (!isSlaWindow(period)) {
      badRequest(res, `period must be one of ${SLA_WINDOW_NAMES.join(', ')}, got \`${period}\``);
      return;
    }
    const checkId = typeof req.query['check'] === 'string' ? req.query['check'] : undefined;
    if (checkId !== undefined && !deps.checks().some((check) => check.id === checkId)) {
      res.status(404).json({ error: `unknown check \`${checkId}\`` });
      return;
    }
    const reports = await deps.slaReports(period, checkId === undefined ? undefined : [checkId]);
    res.json({ period, checks: [...reports].map(([id, report]) => describeSlaReport(id, report)) });
  });

  router.get('/api/v1/incidents', async (req, res) => {
    const since = parseTime(req.query['since'], 'since', res);
    const limit = parseLimit(req.query['limit'], 100, res);
    if (since === null || limit === null) return;
    const checkId = typeof req.query['check'] === 'string' ? req.query['check'] : undefined;
    const incidents = await deps.incidents({
      ...(checkId === undefined ? {} : { checkId }),
      ...(since === undefined ? {} : { since }),
      openOnly: req.query['state'] === 'open',
      limit,
    });
    res.json({ incidents: incidents.map((incident) => describeIncident(incident, raw(req))) });
  });

  router.post('/api/v1/synthetic-check', requireAdmin(deps.adminToken), json({ limit: '64kb' }), (req, res) => {
    const parsed = parsePushedResult(req.body, deps);
    if (typeof parsed === 'string') {
      badRequest(res, parsed);
      return;
    }
    deps.push(parsed);
    res.status(202).json({ accepted: true, check: parsed.checkId });
  });

  return router;
}

function findCheck(deps: ProberApiDeps, req: Request, res: Response): CheckDefinition | undefined {
  const id = String(req.params['id']);
  const check = deps.checks().find((candidate) => candidate.id === id);
  if (!check) res.status(404).json({ error: `unknown check \`${id}\`` });
  return check;
}

/** A query parameter as given: a string, or (repeated or nested) its JSON. */
function queryText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** undefined when absent, null when invalid (the answer has been sent). */
function parseTime(value: unknown, name: string, res: Response): number | undefined | null {
  if (value === undefined) return undefined;
  const text = queryText(value);
  const time = /^\d+$/.test(text) ? Number(text) * (text.length <= 10 ? 1000 : 1) : Date.parse(text);
  if (Number.isNaN(time)) {
    badRequest(res, `${name} must be an ISO 8601 time or Unix seconds, got \`${text}\``);
    return null;
  }
  return time;
}

function parseLimit(value: unknown, fallback: number, res: Response): number | null {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    badRequest(res, `limit must be an integer from 1 to ${MAX_LIMIT}, got \`${queryText(value)}\``);
    return null;
  }
  return limit;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

function parsePushedResult(body: unknown, deps: ProberApiDeps): CheckResult | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const fields = body as Record<string, unknown>;
  const checkId = fields['check'];
  if (typeof checkId !== 'string') return 'check: required, the id of a configured check';
  if (!deps.checks().some((check) => check.id === checkId)) return `check: unknown check \`${checkId}\``;
  const status = fields['status'];
  if (!STATUSES.includes(status as CheckStatus)) return `status: must be one of ${STATUSES.join(', ')}`;
  const reason = fields['reason'];
  if (reason !== undefined && !REASONS.includes(reason as FailureReason))
    return `reason: must be one of ${REASONS.join(', ')}`;
  if (status !== 'healthy' && reason === undefined) return 'reason: required when status is not healthy';
  const durationMs = fields['duration_ms'];
  if (typeof durationMs !== 'number' || !(durationMs >= 0) || durationMs > 3_600_000)
    return 'duration_ms: must be a number of milliseconds';
  const message = fields['message'] ?? '';
  if (typeof message !== 'string' || message.length > 1000)
    return 'message: must be a string of at most 1000 characters';
  const finishedAt = Date.now();
  return {
    checkId,
    status: status as CheckStatus,
    ...(reason === undefined ? {} : { reason: reason as FailureReason }),
    message,
    startedAt: finishedAt - Math.round(durationMs),
    finishedAt,
    durationMs,
    phases: {},
    consecutiveFailures: status === 'down' ? 1 : 0,
  };
}

export function describeResult(result: StoredResult, raw: boolean): Record<string, unknown> {
  return {
    status: result.status,
    reason: result.reason ?? null,
    message: raw ? result.message : neutralMessage(result.status, result.reason),
    started_at: new Date(result.startedAt).toISOString(),
    finished_at: new Date(result.finishedAt).toISOString(),
    duration_ms: Math.round(result.durationMs * 10) / 10,
    phases_ms: Object.fromEntries(
      Object.entries(result.phases).map(([phase, ms]) => [phase, Math.round(ms * 10) / 10]),
    ),
    http_status: result.httpStatus ?? null,
    cert_expires_at: result.certExpiresAt === undefined ? null : new Date(result.certExpiresAt * 1000).toISOString(),
    consecutive_failures: result.consecutiveFailures,
    in_maintenance: result.inMaintenance,
  };
}

function describeSlaReport(checkId: string, report: SlaReport): Record<string, unknown> {
  return {
    check: checkId,
    window: report.window,
    uptime_percent: report.uptimePercent ?? null,
    target_percent: report.targetPercent,
    status: report.status,
    downtime_minutes: report.downtimeMinutes,
    maintenance_minutes: report.maintenanceMinutes,
    checks_total: report.checksTotal,
    checks_success: report.checksSuccess,
    checks_failed: report.checksFailed,
    error_budget_remaining_percent: report.errorBudgetRemainingPercent ?? null,
  };
}

function describeIncident(incident: Incident, raw: boolean): Record<string, unknown> {
  const end = incident.closedAt ?? Date.now();
  return {
    id: incident.id,
    check: incident.checkId,
    state: incident.closedAt === undefined ? 'open' : 'closed',
    opened_at: new Date(incident.openedAt).toISOString(),
    closed_at: incident.closedAt === undefined ? null : new Date(incident.closedAt).toISOString(),
    duration_seconds: Math.round((end - incident.openedAt) / 1000),
    first_reason: incident.firstReason,
    first_message: raw ? incident.firstMessage : neutralReason(incident.firstReason),
    last_message: raw ? incident.lastMessage : neutralReason(incident.firstReason),
    failures: incident.failures,
  };
}
