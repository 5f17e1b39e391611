// The figures of `vigil report`, from the SLA summaries of each check over the period and the period's incidents:
// uptime per check, per service and per component (as checks.yml names them) and overall, the worst offenders, the
// incidents with their durations and the error budget left. Pure: the same inputs always give the same figures.
//
// Choices:
// - Every figure goes through sla/report.ts's buildReport, so a check's uptime, downtime and budget are those of
//   /api/v1/sla for the same period (maintenance and unmeasured time excluded).
// - A service, a component or the whole: its checks' summaries added up (every measured check-minute weighs the
//   same), downtime averaged per check with data, as a status-page component's; its target is the highest of its
//   checks' targets, since a promise made for one of them is a promise made for the whole.
// - Worst offenders: the checks that lost time (down, or degraded when it does not count as up), lowest uptime first.

import type { SlaSettings } from '../config/index.js';
import type { CheckDefinition } from '../model/check.js';
import type { SlaWindow } from '../model/sla-window.js';
import { buildReport, type SlaStatus } from '../sla/report.js';
import { combine, measuredMs, type UptimeSummary } from '../sla/uptime.js';
import type { Incident } from '../store/store.js';

export interface ReportInput {
  period: SlaWindow;
  from: number;
  /** The end of the period: now. */
  to: number;
  checks: readonly CheckDefinition[];
  /** Per configured check, its summary over the period (an empty one without data). */
  summaries: ReadonlyMap<string, UptimeSummary>;
  /** Per check, its SLA target percent. */
  targets: ReadonlyMap<string, number>;
  sla: SlaSettings;
  /** The incidents open at some time in the period, any order. */
  incidents: readonly Incident[];
}

/** The uptime of a check or a set of checks over the period. */
export interface UptimeFigures {
  name: string;
  checks: number;
  /** Absent when nothing was measured. */
  uptimePercent?: number;
  targetPercent: number;
  downtimeMinutes: number;
  maintenanceMinutes: number;
  /** Percent of the error budget still unused; negative once overspent; absent with no data or a 100 % target. */
  errorBudgetRemainingPercent?: number;
  status: SlaStatus;
  incidents: number;
}

export interface CheckFigures extends UptimeFigures {
  checkName: string;
  service: string;
  component: string;
}

export interface IncidentFigures {
  checkId: string;
  openedAt: number;
  /** Absent while the incident is open. */
  closedAt?: number;
  /** Until it closed, or until the end of the period while it is open. */
  durationMinutes: number;
  reason: string;
  message: string;
}

export interface ReportFigures {
  period: SlaWindow;
  from: number;
  to: number;
  overall: UptimeFigures;
  services: UptimeFigures[];
  components: UptimeFigures[];
  checks: CheckFigures[];
  /** The checks that lost time, worst first, a few at most. */
  offenders: CheckFigures[];
  /** Newest first. */
  incidents: IncidentFigures[];
}

/** Offenders listed at most: the ones a person looks at first. */
export const MAX_OFFENDERS = 5;

const MINUTE_MS = 60_000;

export function reportFigures(input: ReportInput): ReportFigures {
  const incidents = input.incidents
    .filter((incident) => incident.openedAt < input.to && (incident.closedAt ?? Infinity) >= input.from)
    .sort((a, b) => b.openedAt - a.openedAt || (a.checkId < b.checkId ? -1 : 1))
    .map((incident) => incidentFigures(incident, input.to));
  const incidentCount = countBy(incidents, (incident) => incident.checkId);
  const checks = input.checks.map((check): CheckFigures => ({
    ...groupFigures(check.id, [check], input, incidentCount),
    checkName: check.name,
    service: check.service,
    component: check.component,
  }));
  return {
    period: input.period,
    from: input.from,
    to: input.to,
    overall: groupFigures('overall', input.checks, input, incidentCount),
    services: grouped(input, (check) => check.service, incidentCount),
    components: grouped(input, (check) => check.component, incidentCount),
    checks,
    offenders: offenders(checks),
    incidents,
  };
}

function grouped(
  input: ReportInput,
  keyOf: (check: CheckDefinition) => string,
  incidentCount: ReadonlyMap<string, number>,
): UptimeFigures[] {
  const groups = new Map<string, CheckDefinition[]>();
  for (const check of input.checks) groups.set(keyOf(check), [...(groups.get(keyOf(check)) ?? []), check]);
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, checks]) => groupFigures(name, checks, input, incidentCount));
}

function groupFigures(
  name: string,
  checks: readonly CheckDefinition[],
  input: ReportInput,
  incidentCount: ReadonlyMap<string, number>,
): UptimeFigures {
  const summaries = checks.flatMap((check) => input.summaries.get(check.id) ?? []);
  const target = Math.max(...checks.map((check) => input.targets.get(check.id) ?? input.sla.targetPercent));
  const report = buildReport(
    input.period,
    combine(summaries),
    checks.length === 0 ? input.sla.targetPercent : target,
    input.sla,
  );
  const withData = Math.max(1, summaries.filter((summary) => measuredMs(summary) > 0).length);
  return {
    name,
    checks: checks.length,
    ...(report.uptimePercent === undefined ? {} : { uptimePercent: report.uptimePercent }),
    targetPercent: report.targetPercent,
    downtimeMinutes: report.downtimeMinutes / withData,
    maintenanceMinutes: report.maintenanceMinutes / withData,
    ...(report.errorBudgetRemainingPercent === undefined
      ? {}
      : { errorBudgetRemainingPercent: report.errorBudgetRemainingPercent }),
    status: report.status,
    incidents: checks.reduce((sum, check) => sum + (incidentCount.get(check.id) ?? 0), 0),
  };
}

function offenders(checks: readonly CheckFigures[]): CheckFigures[] {
  return checks
    .filter((check) => check.uptimePercent !== undefined && check.downtimeMinutes > 0)
    .sort((a, b) => a.uptimePercent! - b.uptimePercent! || b.incidents - a.incidents || (a.name < b.name ? -1 : 1))
    .slice(0, MAX_OFFENDERS);
}

function incidentFigures(incident: Incident, to: number): IncidentFigures {
  const end = incident.closedAt ?? to;
  return {
    checkId: incident.checkId,
    openedAt: incident.openedAt,
    ...(incident.closedAt === undefined ? {} : { closedAt: incident.closedAt }),
    durationMinutes: Math.max(0, end - incident.openedAt) / MINUTE_MS,
    reason: incident.firstReason,
    message: incident.lastMessage,
  };
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}
