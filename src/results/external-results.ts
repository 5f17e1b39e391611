// Results that come from outside the probe thread (a runner's POST to /api/v1/synthetic-check, a push check's ping)
// turned into judged results for the pipeline: put in time order, each counting the consecutive failures before it,
// so a backlog sent in one batch opens and closes incidents where they happened.

import type { CheckResult, CheckStatus, FailureReason } from '../model/result.js';

/** One outside report: which check, how it went, and when it ran. */
export interface ExternalReport {
  checkId: string;
  status: Exclude<CheckStatus, 'unknown'>;
  /** Set whenever status is not healthy. */
  reason?: FailureReason;
  message: string;
  durationMs: number;
  /** When the check ran (Unix ms); undefined: it finished just now. */
  ranAt?: number;
  /**
   * A push check's ping: the result stands at the time it was heard, even though the job ran for `durationMs` before
   * (its start may lie before the `missed` result it recovers from).
   */
  heardAt?: number;
}

/**
 * Results for the reports, oldest first. `previousFailures(checkId)` is the count carried by the check's latest
 * result before these.
 */
export function externalResults(
  reports: readonly ExternalReport[],
  now: number,
  previousFailures: (checkId: string) => number,
): CheckResult[] {
  const timed = reports.map((report) => {
    const durationMs = Math.round(report.durationMs);
    if (report.heardAt !== undefined) return { report, startedAt: report.heardAt, finishedAt: report.heardAt };
    const startedAt = report.ranAt ?? now - durationMs;
    return { report, startedAt, finishedAt: report.ranAt === undefined ? now : startedAt + durationMs };
  });
  timed.sort((a, b) => a.startedAt - b.startedAt);
  const failures = new Map<string, number>();
  return timed.map(({ report, startedAt, finishedAt }) => {
    const before = failures.get(report.checkId) ?? previousFailures(report.checkId);
    const consecutiveFailures = report.status === 'down' ? before + 1 : 0;
    failures.set(report.checkId, consecutiveFailures);
    const result: CheckResult = {
      checkId: report.checkId,
      status: report.status,
      message: report.message,
      startedAt,
      finishedAt,
      durationMs: report.durationMs,
      phases: {},
      consecutiveFailures,
    };
    if (report.reason !== undefined) result.reason = report.reason;
    return result;
  });
}
