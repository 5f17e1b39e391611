// Turns a probe's raw outcome into a judged result: latency thresholds, warnings and the consecutive-failure count
// that decides when a check reports down. Pure: no clock, no I/O.

import type { CheckDefinition } from '../model/check.js';
import type { CheckResult, CheckStatus, FailureReason } from '../model/result.js';
import type { ProbeOutcome } from './types.js';

/** What the judge remembers of a check between runs. */
export interface CheckMemory {
  status: CheckStatus;
  consecutiveFailures: number;
}

export const FRESH_MEMORY: CheckMemory = { status: 'unknown', consecutiveFailures: 0 };

interface Verdict {
  failed: boolean;
  status: CheckStatus;
  reason?: FailureReason;
  message: string;
}

export function judge(
  check: CheckDefinition,
  outcome: ProbeOutcome,
  memory: CheckMemory,
  startedAt: number,
  finishedAt: number,
): CheckResult {
  const verdict = judgeOutcome(check, outcome);
  const consecutiveFailures = verdict.failed ? memory.consecutiveFailures + 1 : 0;
  const result: CheckResult = {
    checkId: check.id,
    status: verdict.status,
    message: verdict.message,
    startedAt,
    finishedAt,
    durationMs: outcome.durationMs,
    phases: outcome.phases,
    consecutiveFailures,
  };
  if (verdict.reason) result.reason = verdict.reason;
  if (outcome.httpStatus !== undefined) result.httpStatus = outcome.httpStatus;
  if (outcome.certExpiresAt !== undefined) result.certExpiresAt = outcome.certExpiresAt;

  if (verdict.failed && consecutiveFailures < check.failureThreshold) {
    // Not down yet: keep showing what the check was, and say how close it is.
    result.status = memory.status;
    result.message = `failure ${consecutiveFailures} of ${check.failureThreshold} before down: ${verdict.message}`;
  }
  return result;
}

function judgeOutcome(check: CheckDefinition, outcome: ProbeOutcome): Verdict {
  if (!outcome.ok) return { failed: true, status: 'down', reason: outcome.reason, message: outcome.message };

  const { warnMs, criticalMs } = check.performance;
  const took = Math.round(outcome.durationMs);
  if (criticalMs !== undefined && outcome.durationMs > criticalMs) {
    return {
      failed: true,
      status: 'down',
      reason: 'slow',
      message: `took ${took} ms, over the critical threshold of ${criticalMs} ms`,
    };
  }
  if (warnMs !== undefined && outcome.durationMs > warnMs) {
    return {
      failed: false,
      status: 'degraded',
      reason: 'slow',
      message: `took ${took} ms, over the warning threshold of ${warnMs} ms`,
    };
  }
  if (outcome.warning) {
    return { failed: false, status: 'degraded', reason: outcome.warning.reason, message: outcome.warning.message };
  }
  return { failed: false, status: 'healthy', message: outcome.message };
}
