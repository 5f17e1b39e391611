// The prober's JSON API (CONTRACT section 5): the checks, a check's stored results, SLA per period and incidents
// (results sent by an outside runner: synthetic-route.ts and push-route.ts). Without the admin token every answer
// covers the public checks only, as the status page does, and words probe messages neutrally by reason; a private
// check answers like an unknown one. A receiver that shares no store with the prober reads its diagnosis evidence
// here (with the admin token): hence `until` on the results (the last result before an
// incident opened) and `first_result_at` (how long the check's history is).

import { Router, type Response } from 'express';
import type { CheckDefinition, PushCheck } from '../../model/check.js';
import type { SlaReport } from '../../sla/report.js';
import type { SlaWindow } from '../../model/sla-window.js';
import type { CheckResult, CheckStatus } from '../../model/result.js';
import type { Incident, IncidentQuery, StoredResult } from '../../store/store.js';
import { limitParam, openOnlyParam, periodParam, singleParam, timeParam } from './query-params.js';
import { viewerOf, type Viewer } from './viewer-access.js';
import { neutralMessage, neutralReason, shownMessage } from '../../status/public-message.js';

export interface ProberApiDeps {
  checks(): readonly CheckDefinition[];
  /** The checks the public may see (check-visibility.ts). */
  publicCheckIds(): ReadonlySet<string>;
  latest(checkId: string): CheckResult | undefined;
  status(checkId: string): CheckStatus;
  results(checkId: string, query: { since?: number; until?: number; limit: number }): Promise<StoredResult[]>;
  /** When the check's earliest stored result started; undefined when it has none. */
  firstResultAt(checkId: string): Promise<number | undefined>;
  slaReports(window: SlaWindow, checkIds?: readonly string[]): Promise<Map<string, SlaReport>>;
  incidents(query: IncidentQuery & { limit: number }): Promise<Incident[]>;
  /** Push checks: when the job was last heard from (Unix ms); undefined before its first ping. */
  lastHeardAt(checkId: string): number | undefined;
  adminToken: string | undefined;
  /**
   * status-page.yml `raw_messages: true`: every viewer sees the probes' own messages. Otherwise only the admin does,
   * and the public gets neutral words by reason (the messages name internal hosts, ports and paths).
   */
  rawMessagesForEveryone?(): boolean;
}

export function proberApi(deps: ProberApiDeps): Router {
  const router = Router();
  const viewer = viewerOf(deps.adminToken);
  const raw = (who: Viewer): boolean => who === 'admin' || deps.rawMessagesForEveryone?.() === true;
  /** The checks this viewer may see. */
  const visibleChecks = (who: Viewer): readonly CheckDefinition[] => {
    if (who === 'admin') return deps.checks();
    const visible = deps.publicCheckIds();
    return deps.checks().filter((check) => visible.has(check.id));
  };
  const isVisible = (who: Viewer, checkId: string): boolean => who === 'admin' || deps.publicCheckIds().has(checkId);

  router.get('/api/v1/checks', (req, res) => {
    const who = viewer(req, res);
    if (who === undefined) return;
    res.json({ checks: visibleChecks(who).map((check) => describeCheck(check, deps, raw(who))) });
  });

  router.get('/api/v1/checks/:id/results', async (req, res) => {
    const who = viewer(req, res);
    if (who === undefined) return;
    const check = findCheck(visibleChecks(who), String(req.params['id']), res);
    if (!check) return;
    const since = timeParam(req, 'since');
    const until = timeParam(req, 'until');
    const limit = limitParam(req, 1000);
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
      results: results.map((result) => describeResult(result, raw(who))),
    });
  });

  router.get('/api/v1/sla', async (req, res) => {
    const who = viewer(req, res);
    if (who === undefined) return;
    const period = periodParam(req, '30d');
    const checkId = singleParam(req, 'check');
    const visible = visibleChecks(who);
    let checkIds: readonly string[] | undefined;
    if (checkId !== undefined) {
      if (!findCheck(visible, checkId, res)) return;
      checkIds = [checkId];
    } else if (who === 'public') checkIds = visible.map((check) => check.id);
    const reports = checkIds?.length === 0 ? new Map<string, SlaReport>() : await deps.slaReports(period, checkIds);
    res.json({ period, checks: [...reports].map(([id, report]) => describeSlaReport(id, report)) });
  });

  router.get('/api/v1/incidents', async (req, res) => {
    const who = viewer(req, res);
    if (who === undefined) return;
    const since = timeParam(req, 'since');
    const limit = limitParam(req, 100);
    const checkId = singleParam(req, 'check');
    const openOnly = openOnlyParam(req);
    // An unknown or private check has no incidents to show: the list is empty, not an error.
    let scope: readonly string[] | undefined;
    if (checkId !== undefined) scope = isVisible(who, checkId) ? [checkId] : [];
    else if (who === 'public') scope = visibleChecks(who).map((check) => check.id);
    const incidents =
      scope?.length === 0
        ? []
        : await deps.incidents({
            ...(scope === undefined ? {} : { checkIds: scope }),
            ...(since === undefined ? {} : { since }),
            openOnly,
            limit,
          });
    res.json({ incidents: incidents.map((incident) => describeIncident(incident, raw(who))) });
  });

  return router;
}

/** The check of that id among those the viewer may see; answers 404 (the same for private and unknown) when none. */
function findCheck(visible: readonly CheckDefinition[], id: string, res: Response): CheckDefinition | undefined {
  const check = visible.find((candidate) => candidate.id === id);
  if (!check) res.status(404).json({ error: `unknown check \`${id.slice(0, 64)}\`` });
  return check;
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

function describeCheck(check: CheckDefinition, deps: ProberApiDeps, raw: boolean): Record<string, unknown> {
  const latest = deps.latest(check.id);
  return {
    id: check.id,
    name: check.name,
    type: check.type,
    group: check.group,
    component: check.component,
    service: check.service,
    enabled: check.enabled,
    interval_seconds: check.intervalMs / 1000,
    timeout_seconds: check.timeoutMs / 1000,
    ...(check.type === 'push' ? pushFields(check, deps) : {}),
    status: deps.status(check.id),
    last_result: latest
      ? {
          status: latest.status,
          reason: latest.reason ?? null,
          message: shownMessage(latest, raw),
          duration_ms: Math.round(latest.durationMs * 10) / 10,
          started_at: new Date(latest.startedAt).toISOString(),
          finished_at: new Date(latest.finishedAt).toISOString(),
          consecutive_failures: latest.consecutiveFailures,
          http_status: latest.httpStatus ?? null,
        }
      : null,
  };
}

/** A push check's grace and when its job was last heard from (null before the first ping). */
function pushFields(check: PushCheck, deps: ProberApiDeps): Record<string, unknown> {
  const heardAt = deps.lastHeardAt(check.id);
  return {
    grace_seconds: check.graceMs / 1000,
    last_heard_at: heardAt === undefined ? null : new Date(heardAt).toISOString(),
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
    error_budget_remaining_percent: displayedBudget(report.errorBudgetRemainingPercent),
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

/**
 * The error budget as people read it: an overspent budget shows as -100 % however far it is overspent (the downtime
 * minutes say by how much), and two decimals are enough for a percentage.
 */
export function displayedBudget(remainingPercent: number | undefined): number | null {
  if (remainingPercent === undefined) return null;
  return Math.round(Math.max(-100, remainingPercent) * 100) / 100;
}
