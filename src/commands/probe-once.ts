// `vigil probe --once`: runs checks now, in this process, and prints a table or JSON lines. Stores nothing.

import type { ListenAddress } from '../config/types.js';
import { startDemoTarget } from '../demo/demo-target.js';
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

/**
 * The shipped checks probe the demo target that `npm start` (`--demo`) serves beside the stack; run alone, they all
 * fail to connect. Says so, rather than leave a newcomer with a table of `connection refused`.
 */
export function demoTargetNote(
  checks: readonly CheckDefinition[],
  results: readonly CheckResult[],
  demoUrl: string,
): string | undefined {
  const refused = new Set(results.filter((r) => r.reason === 'connect').map((r) => r.checkId));
  const demoChecks = checks.filter((check) => 'url' in check && check.url.startsWith(demoUrl) && refused.has(check.id));
  if (demoChecks.length === 0) return undefined;
  const ids = demoChecks.map((check) => check.id).join(', ');
  return (
    `note: ${ids} probe the demo target at ${demoUrl}, which runs only under \`npm start\` or with --demo ` +
    '(`vigil probe --once --demo` starts it for this run)'
  );
}

/** Runs `run` with the demo target served at `listen` (and DEMO_TARGET_URL pointing at it), when one is given. */
export async function withDemoTarget<T>(
  listen: ListenAddress | undefined,
  env: Record<string, string | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  if (listen === undefined) return run();
  const demo = await startDemoTarget(listen);
  env['DEMO_TARGET_URL'] ??= demo.url;
  try {
    return await run();
  } finally {
    await demo.close();
  }
}
