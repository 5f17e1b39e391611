// What an SLA window says to a user: uptime against the target, downtime, error budget and a three-way status.
//
// Choices:
// - Status: uptime >= target is compliant; below target but >= the critical threshold is warning; below critical is
//   breached. The `warning` threshold of config.yml does not move this status (it is there for alert rules and
//   dashboards); a target at or below the critical threshold leaves no warning band. No measured time: `no_data`.
// - Error budget: (100 - target) % of the measured time (up + degraded + down, i.e. the window without maintenance
//   and unknown time), so the budget is used up exactly when uptime falls below the target and status and budget
//   never disagree for a check that was added mid-window or had gaps. Remaining can go negative.
// - Target of a check: the highest target among the tiers of the status-page components that list it, else the
//   global target. A component's target: its tier's, else the global one.
// - A component's uptime is the time-weighted average of its checks: their summaries are added up, so every
//   measured check-minute weighs the same. Its downtime minutes are the average per check with data.

import type { SlaSettings, StatusPageComponent, StatusPageSettings } from '../config/types.js';
import { badMs, combine, measuredMs, uptimePercent, type UptimeSummary } from './uptime.js';
import type { SlaWindow } from '../model/sla-window.js';

export type SlaStatus = 'compliant' | 'warning' | 'breached' | 'no_data';

export interface SlaReport {
  window: SlaWindow;
  targetPercent: number;
  /** Absent when nothing was measured. */
  uptimePercent?: number;
  /** Down time (and degraded time when it does not count as up). */
  downtimeMinutes: number;
  maintenanceMinutes: number;
  checksTotal: number;
  checksSuccess: number;
  checksFailed: number;
  /** Percent of the error budget still unused; negative once overspent; absent with no data or a 100 % target. */
  errorBudgetRemainingPercent?: number;
  status: SlaStatus;
}

export type Tiers = StatusPageSettings['tiers'];

export function slaStatus(percent: number | undefined, targetPercent: number, sla: SlaSettings): SlaStatus {
  if (percent === undefined) return 'no_data';
  if (percent >= targetPercent) return 'compliant';
  if (percent >= sla.criticalPercent) return 'warning';
  return 'breached';
}

export function errorBudgetRemaining(
  summary: UptimeSummary,
  targetPercent: number,
  countDegradedAsUp: boolean,
): number | undefined {
  const budgetMs = ((100 - targetPercent) / 100) * measuredMs(summary);
  if (budgetMs <= 0) return undefined;
  return ((budgetMs - badMs(summary, countDegradedAsUp)) / budgetMs) * 100;
}

export function buildReport(
  window: SlaWindow,
  summary: UptimeSummary,
  targetPercent: number,
  sla: SlaSettings,
): SlaReport {
  const percent = uptimePercent(summary, sla.countDegradedAsUp);
  const report: SlaReport = {
    window,
    targetPercent,
    downtimeMinutes: badMs(summary, sla.countDegradedAsUp) / 60_000,
    maintenanceMinutes: summary.maintenanceMs / 60_000,
    checksTotal: summary.checksTotal,
    checksSuccess: summary.checksSuccess,
    checksFailed: summary.checksFailed,
    status: slaStatus(percent, targetPercent, sla),
  };
  if (percent !== undefined) report.uptimePercent = percent;
  const budget = errorBudgetRemaining(summary, targetPercent, sla.countDegradedAsUp);
  if (budget !== undefined) report.errorBudgetRemainingPercent = budget;
  return report;
}

export function checkTarget(
  checkId: string,
  sla: SlaSettings,
  statusPage: Pick<StatusPageSettings, 'components' | 'tiers'>,
): number {
  const tierTargets = statusPage.components
    .filter((component) => component.checks.includes(checkId))
    .map((component) => tierTarget(component, statusPage.tiers))
    .filter((target) => target !== undefined);
  return tierTargets.length > 0 ? Math.max(...tierTargets) : sla.targetPercent;
}

export function componentTarget(component: StatusPageComponent, sla: SlaSettings, tiers: Tiers): number {
  return tierTarget(component, tiers) ?? sla.targetPercent;
}

/** The component's report from the summaries of its checks over one window. */
export function componentReport(
  window: SlaWindow,
  checkSummaries: readonly UptimeSummary[],
  component: StatusPageComponent,
  sla: SlaSettings,
  tiers: Tiers,
): SlaReport {
  const report = buildReport(window, combine(checkSummaries), componentTarget(component, sla, tiers), sla);
  const checksWithData = checkSummaries.filter((s) => measuredMs(s) > 0).length;
  if (checksWithData > 1) {
    report.downtimeMinutes /= checksWithData;
    report.maintenanceMinutes /= checksWithData;
  }
  return report;
}

function tierTarget(component: StatusPageComponent, tiers: Tiers): number | undefined {
  return component.tier === undefined ? undefined : tiers[component.tier];
}
