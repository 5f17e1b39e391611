// The three shapes of `vigil report`: text tables a person reads, one JSON object for scripts, and CSV (the uptime
// table: one row for the whole, each service, each component and each check) for a spreadsheet.

import { formatTime } from '../diagnosis/rules/facts.js';
import { slaWindow } from '../sla/windows.js';
import type { Report } from './report.js';
import type { CheckFigures, IncidentFigures, UptimeFigures } from './report-figures.js';
import { formatMinutes, formatPercent } from './report-insight.js';
import { textTable } from './text-table.js';

const UPTIME_HEADER = ['UPTIME', 'TARGET', 'DOWNTIME', 'BUDGET LEFT', 'STATUS', 'INCIDENTS'];

export function reportText(report: Report): string {
  const { figures, insight } = report;
  const { overall } = figures;
  const sections = [
    `Uptime report, last ${slaWindow(figures.period).text} (${formatTime(figures.from)} to ${formatTime(figures.to)}), maintenance excluded`,
    `Overall: ${formatPercent(overall.uptimePercent)} over ${overall.checks} checks, target ${overall.targetPercent} %, ` +
      `error budget left ${formatBudget(overall)}, ${overall.status}, ${overall.incidents} incidents`,
    `By service\n${textTable(['SERVICE', 'CHECKS', ...UPTIME_HEADER], figures.services.map(groupRow))}`,
    `By component\n${textTable(['COMPONENT', 'CHECKS', ...UPTIME_HEADER], figures.components.map(groupRow))}`,
    figures.offenders.length === 0
      ? 'Worst offenders: none (no check lost time)'
      : `Worst offenders\n${textTable(['CHECK', 'SERVICE', ...UPTIME_HEADER], figures.offenders.map(offenderRow))}`,
    incidentsText(figures.incidents, report.incidentsTruncated),
    `Insight (${insight.source === 'ai' ? 'AI' : `from the figures${insight.fallbackReason === undefined ? '' : `; the AI gave none: ${insight.fallbackReason}`}`})\n${insight.text}`,
  ];
  return sections.join('\n\n');
}

export function reportJson(report: Report): string {
  const { figures, insight } = report;
  return JSON.stringify(
    {
      period: figures.period,
      from: new Date(figures.from).toISOString(),
      to: new Date(figures.to).toISOString(),
      overall: uptimeJson(figures.overall),
      services: figures.services.map(uptimeJson),
      components: figures.components.map(uptimeJson),
      checks: figures.checks.map(checkJson),
      worst_offenders: figures.offenders.map(checkJson),
      incidents: figures.incidents.map(incidentJson),
      incidents_truncated: report.incidentsTruncated,
      insight: {
        text: insight.text,
        source: insight.source,
        ...(insight.fallbackReason === undefined ? {} : { fallback_reason: insight.fallbackReason }),
      },
    },
    null,
    2,
  );
}

const CSV_HEADER = [
  'scope',
  'name',
  'checks',
  'uptime_percent',
  'target_percent',
  'downtime_minutes',
  'maintenance_minutes',
  'error_budget_remaining_percent',
  'status',
  'incidents',
];

export function reportCsv(report: Report): string {
  const { figures } = report;
  const rows: Array<[string, UptimeFigures]> = [
    ['overall', figures.overall],
    ...figures.services.map((figure): [string, UptimeFigures] => ['service', figure]),
    ...figures.components.map((figure): [string, UptimeFigures] => ['component', figure]),
    ...figures.checks.map((figure): [string, UptimeFigures] => ['check', figure]),
  ];
  const lines = rows.map(([scope, figure]) =>
    [
      scope,
      figure.name,
      String(figure.checks),
      csvNumber(figure.uptimePercent),
      csvNumber(figure.targetPercent),
      csvNumber(figure.downtimeMinutes),
      csvNumber(figure.maintenanceMinutes),
      csvNumber(figure.errorBudgetRemainingPercent),
      figure.status,
      String(figure.incidents),
    ]
      .map(csvField)
      .join(','),
  );
  return [CSV_HEADER.join(','), ...lines].join('\n');
}

function groupRow(figure: UptimeFigures): string[] {
  return [figure.name, String(figure.checks), ...uptimeCells(figure)];
}

function offenderRow(figure: CheckFigures): string[] {
  return [figure.name, figure.service, ...uptimeCells(figure)];
}

function uptimeCells(figure: UptimeFigures): string[] {
  return [
    formatPercent(figure.uptimePercent),
    `${figure.targetPercent} %`,
    formatMinutes(figure.downtimeMinutes),
    formatBudget(figure),
    figure.status,
    String(figure.incidents),
  ];
}

function formatBudget(figure: UptimeFigures): string {
  const left = figure.errorBudgetRemainingPercent;
  return left === undefined ? '-' : `${left.toFixed(1)} %`;
}

function incidentsText(incidents: readonly IncidentFigures[], truncated: boolean): string {
  if (incidents.length === 0) return 'Incidents: none';
  const rows = incidents.map((incident) => [
    formatTime(incident.openedAt),
    incident.closedAt === undefined
      ? `${formatMinutes(incident.durationMinutes)} (open)`
      : formatMinutes(incident.durationMinutes),
    incident.checkId,
    incident.reason,
    incident.message,
  ]);
  const title = `Incidents (${incidents.length}${truncated ? ', the newest only' : ''})`;
  return `${title}\n${textTable(['OPENED', 'DURATION', 'CHECK', 'REASON', 'MESSAGE'], rows)}`;
}

function uptimeJson(figure: UptimeFigures): object {
  return {
    name: figure.name,
    checks: figure.checks,
    uptime_percent: figure.uptimePercent ?? null,
    target_percent: figure.targetPercent,
    downtime_minutes: figure.downtimeMinutes,
    maintenance_minutes: figure.maintenanceMinutes,
    error_budget_remaining_percent: figure.errorBudgetRemainingPercent ?? null,
    status: figure.status,
    incidents: figure.incidents,
  };
}

function checkJson(figure: CheckFigures): object {
  const { name, ...rest } = uptimeJson(figure) as { name: string };
  return { check: name, name: figure.checkName, service: figure.service, component: figure.component, ...rest };
}

function incidentJson(incident: IncidentFigures): object {
  return {
    check: incident.checkId,
    opened_at: new Date(incident.openedAt).toISOString(),
    closed_at: incident.closedAt === undefined ? null : new Date(incident.closedAt).toISOString(),
    open: incident.closedAt === undefined,
    duration_minutes: incident.durationMinutes,
    reason: incident.reason,
    message: incident.message,
  };
}

/** Six decimals at most: enough for any nine of a target, without a float's noise. */
function csvNumber(value: number | undefined): string {
  return value === undefined ? '' : String(Number(value.toFixed(6)));
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
