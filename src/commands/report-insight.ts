// The two or three sentences at the end of `vigil report`, built from its figures: how the whole did against its
// target and what is left of the error budget, the worst offender, and the incidents. Pure; the AI's version
// (report-ai.ts) replaces these only when it answers in time.

import { formatSpan } from '../diagnosis/rules/facts.js';
import { slaWindow } from '../sla/windows.js';
import type { ReportFigures, UptimeFigures } from './report-figures.js';

const MINUTE_MS = 60_000;

export function insightSentences(figures: ReportFigures): string[] {
  return [overallSentence(figures), offenderSentence(figures), incidentSentence(figures)];
}

/** `99.953 %`, `100 %`: enough digits to tell apart the nines a target is made of. */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined) return 'no data';
  if (percent === 100) return '100 %';
  return `${percent.toFixed(percent >= 99 ? 3 : 2)} %`;
}

export function formatMinutes(minutes: number): string {
  return minutes === 0 ? '0 minutes' : formatSpan(Math.max(1_000, minutes * MINUTE_MS));
}

function overallSentence(figures: ReportFigures): string {
  const { overall } = figures;
  const over = `Over the last ${slaWindow(figures.period).text}`;
  if (overall.uptimePercent === undefined)
    return `${over}, none of the ${overall.checks} checks has results to measure.`;
  const subject = overall.checks === 1 ? 'the one check was' : `the ${overall.checks} checks were`;
  const of = `${over}, ${subject} up ${formatPercent(overall.uptimePercent)} of the measured time`;
  const target = `the ${overall.targetPercent} % target`;
  if (overall.status === 'compliant') return `${of}, within ${target}${budgetClause(overall)}.`;
  return `${of}, below ${target}${budgetClause(overall)}.`;
}

function budgetClause(figures: UptimeFigures): string {
  const left = figures.errorBudgetRemainingPercent;
  if (left === undefined) return '';
  if (left < 0) return `: the error budget is overspent (${left.toFixed(0)} % left)`;
  return ` with ${left.toFixed(0)} % of the error budget left`;
}

function offenderSentence(figures: ReportFigures): string {
  const [worst] = figures.offenders;
  if (worst === undefined) return 'No check lost any time in the period.';
  const name = worst.checkName === worst.name ? worst.name : `${worst.name} (${worst.checkName})`;
  const reason = commonestReason(figures, worst.name);
  return (
    `The worst offender was ${name} of service ${worst.service} at ${formatPercent(worst.uptimePercent)}, ` +
    `${formatMinutes(worst.downtimeMinutes)} down in ${count(worst.incidents, 'incident')}` +
    `${reason === undefined ? '' : `, most often ${reason}`}.`
  );
}

function incidentSentence(figures: ReportFigures): string {
  const missed = figures.checks.filter((check) => check.status === 'warning' || check.status === 'breached').length;
  const targets =
    missed === 0
      ? 'every check with data met its target'
      : `${missed} of ${checksWord(figures.checks.length)} missed ${missed === 1 ? 'its' : 'their'} target`;
  const { incidents } = figures;
  if (incidents.length === 0) return `There were no incidents; ${targets}.`;
  const open = incidents.filter((incident) => incident.closedAt === undefined);
  const longest = incidents.reduce((a, b) => (b.durationMinutes > a.durationMinutes ? b : a));
  const openText =
    open.length === 0
      ? 'none still open'
      : `${open.length} still open (${open.map((incident) => incident.checkId).join(', ')})`;
  return (
    `There ${incidents.length === 1 ? 'was' : 'were'} ${count(incidents.length, 'incident')}, ${openText}, the longest ` +
    `${formatMinutes(longest.durationMinutes)} on ${longest.checkId}; ${targets}.`
  );
}

/** The reason most of the check's incidents opened with, when it had any. */
function commonestReason(figures: ReportFigures, checkId: string): string | undefined {
  const counts = new Map<string, number>();
  for (const incident of figures.incidents) {
    if (incident.checkId === checkId) counts.set(incident.reason, (counts.get(incident.reason) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function checksWord(checks: number): string {
  return count(checks, 'check');
}

function count(amount: number, unit: string): string {
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
