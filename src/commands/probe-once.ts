// `vigil probe --once`: runs checks now, in this process, and prints a table or JSON lines. Stores nothing.

import type { CheckDefinition, ProbedCheck } from '../model/check.js';
import type { CheckResult } from '../model/result.js';
import { isProbedCheck, runProbe } from '../probe/index.js';
import { FRESH_MEMORY, judge } from '../probe/judge.js';
import { textTable } from './text-table.js';

/**
 * The checks to run: the one asked for (even when disabled), or every enabled one; undefined for an unknown id.
 * Push checks are left out: their jobs ping the prober, there is nothing to probe.
 */
export function selectChecks(
  checks: readonly CheckDefinition[],
  checkId: string | undefined,
): ProbedCheck[] | undefined {
  if (checkId === undefined) return checks.filter((check) => check.enabled).filter(isProbedCheck);
  const selected = checks.filter((check) => check.id === checkId);
  return selected.length === 0 ? undefined : selected.filter(isProbedCheck);
}

export async function probeOnce(checks: readonly ProbedCheck[], maxConcurrency: number): Promise<CheckResult[]> {
  const results = new Array<CheckResult>(checks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const index = next++;
      // One run decides: the consecutive-failure threshold is for schedules, not for a single look.
      const check = { ...checks[index]!, failureThreshold: 1 };
      const startedAt = Date.now();
      const outcome = await runProbe(check);
      results[index] = judge(check, outcome, FRESH_MEMORY, startedAt, Date.now());
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxConcurrency, checks.length) }, worker));
  return results;
}

export function formatJsonLine(result: CheckResult): string {
  return JSON.stringify({
    check: result.checkId,
    status: result.status,
    reason: result.reason ?? null,
    duration_ms: Math.round(result.durationMs * 10) / 10,
    message: result.message,
    phases_ms: Object.fromEntries(
      Object.entries(result.phases).map(([phase, ms]) => [phase, Math.round(ms * 10) / 10]),
    ),
    http_status: result.httpStatus ?? null,
    cert_expires_at: result.certExpiresAt ? new Date(result.certExpiresAt * 1000).toISOString() : null,
  });
}

export function formatTable(results: readonly CheckResult[]): string {
  const rows = results.map((r) => [r.checkId, r.status, r.reason ?? '-', String(Math.round(r.durationMs)), r.message]);
  return textTable(['CHECK', 'STATUS', 'REASON', 'MS', 'MESSAGE'], rows);
}
