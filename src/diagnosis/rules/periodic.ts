// Failures that follow a clock: HTTP 429 (rate limiting by the target), or failures that start at a regular period
// (incidents over the past days, or failure runs within the lookback), which point at a scheduled job: a backup,
// a cron, a batch or a certificate or log rotation on the target.

import type { CheckEvidence, Finding } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import {
  currentFailure,
  failingRun,
  formatSpan,
  formatTime,
  isFailure,
  MINUTE,
  plural,
  present,
  shellWord,
} from './facts.js';
import type { RuleFn } from './rule.js';

/** Failure starts needed to call a period: four starts are three equal gaps. */
const MIN_STARTS = 4;
/** Gaps count as equal within this share of the period, and at least this many milliseconds. */
const TOLERANCE_SHARE = 0.05;
const TOLERANCE_MIN_MS = 2 * MINUTE;

export const periodicRule: RuleFn = (check) => {
  const failure = currentFailure(check);
  const open = check.incidents.some((incident) => incident.closedAt === undefined);
  if (failure === undefined && !open) return undefined;
  return rateLimited(check) ?? regularFailures(check);
};

function rateLimited(check: CheckEvidence): Finding | undefined {
  const run = failingRun(check);
  const limited = run.filter((result) => result.httpStatus === 429);
  const first = limited[0];
  if (first === undefined) return undefined;
  const where = check.target?.url ?? endpointOf(check.target) ?? check.checkId;
  const host = check.target?.host ?? where;
  return {
    rule: 'periodic',
    summary: `${where} answers HTTP 429 Too Many Requests`,
    probableCause: `Likely rate limiting by ${host}, because ${plural(limited.length, 'result')} since ${formatTime(first.at)} answered HTTP 429.`,
    evidence: [
      `${limited.length} of the last ${run.length} failed results answered HTTP 429 (the first at ${formatTime(first.at)})`,
    ],
    recommendations: present(
      check.target?.url !== undefined &&
        `curl -sv ${shellWord(check.target.url)} and read the Retry-After and RateLimit headers`,
      `Find who else calls ${host} with the same credentials or address, or raise the limit; lengthen the check's interval if the probes themselves count.`,
    ),
    confidence: limited.length >= 2 ? 'high' : 'medium',
  };
}

function regularFailures(check: CheckEvidence): Finding | undefined {
  const fromIncidents = check.incidents.map((incident) => incident.openedAt).sort((a, b) => a - b);
  const fromResults = failureStarts(check);
  const starts = fromIncidents.length >= fromResults.length ? fromIncidents : fromResults;
  const found = regularPeriod(starts);
  if (found === undefined) return undefined;
  const { period, regular } = found;
  const last = starts.at(-1)!;
  const source = starts === fromIncidents ? 'incidents' : 'failure runs';
  const times = starts.slice(-MIN_STARTS).map(formatTime).join(', ');
  const host = check.target?.host ?? check.service ?? check.checkId;
  return {
    rule: 'periodic',
    summary: `${check.checkId} fails every ${formatSpan(period)}`,
    probableCause: `Likely a scheduled job (backup, cron, batch, rotation) on ${host} or a dependency, because its ${source} start every ${formatSpan(period)}.`,
    evidence: [
      `${regular} ${source} of ${check.checkId} started ${formatSpan(period)} apart (the latest: ${times})`,
      `the next is expected around ${formatTime(last + period)}`,
    ],
    recommendations: [
      `Look for jobs on ${host} and its dependencies scheduled every ${formatSpan(period)} around ${formatTime(last).slice(11)} (crontab -l, systemctl list-timers, the backup schedule).`,
      'If the job is expected, move it, make it lighter, or declare it as a maintenance window for the check.',
    ],
    confidence: regular > MIN_STARTS ? 'high' : 'medium',
  };
}

/** When each failure run in the lookback began. */
function failureStarts(check: CheckEvidence): number[] {
  const starts: number[] = [];
  let failing = false;
  for (const result of check.recent) {
    if (isFailure(result) && !failing) starts.push(result.at);
    failing = isFailure(result);
  }
  return starts;
}

/**
 * The common gap of the newest starts, when at least MIN_STARTS of them are evenly spaced, and how many of the
 * newest starts keep to it.
 */
function regularPeriod(starts: readonly number[]): { period: number; regular: number } | undefined {
  if (starts.length < MIN_STARTS) return undefined;
  const newest = starts.slice(-MIN_STARTS);
  const gaps = newest.slice(1).map((at, index) => at - newest[index]!);
  const period = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
  const tolerance = Math.max(TOLERANCE_MIN_MS, period * TOLERANCE_SHARE);
  const even = (gap: number): boolean => Math.abs(gap - period) <= tolerance;
  if (period < 2 * TOLERANCE_MIN_MS || !gaps.every(even)) return undefined;
  let regular = MIN_STARTS;
  while (regular < starts.length && even(starts[starts.length - regular]! - starts[starts.length - regular - 1]!)) {
    regular += 1;
  }
  return { period, regular };
}
