// The maintenance intervals of many checks over one range, expanding each window once rather than once per check:
// a recurring window's cron is walked for the range, then each check takes the windows that cover it.

import type { CheckDefinition } from '../model/check.js';
import { appliesTo, occurrences } from '../maintenance/windows.js';
import type { MaintenanceWindow, ScopedCheck } from '../model/maintenance.js';
import { clipIntervals, mergeIntervals, type Interval } from '../interval.js';

/** Per check id, when it is in maintenance within [from, to): sorted, merged, clipped. Checks with none are absent. */
export function maintenanceByCheck(
  windows: readonly MaintenanceWindow[],
  checks: readonly ScopedCheck[],
  from: number,
  to: number,
): Map<string, Interval[]> {
  const byCheck = new Map<string, Interval[]>();
  if (windows.length === 0 || to <= from) return byCheck;
  const expanded = windows
    .map((window) => ({ window, intervals: clipIntervals(occurrences(window, from, to), from, to) }))
    .filter(({ intervals }) => intervals.length > 0);
  if (expanded.length === 0) return byCheck;
  for (const check of checks) {
    const intervals = expanded.filter(({ window }) => appliesTo(window, check)).flatMap(({ intervals: i }) => i);
    if (intervals.length > 0) byCheck.set(check.id, mergeIntervals(intervals));
  }
  return byCheck;
}

/** What the SLA math needs of a check. */
export type SummaryCheck = Pick<CheckDefinition, 'id' | 'group' | 'component' | 'intervalMs' | 'timeoutMs'>;

/** How long one result of the check stands for at most: twice its interval plus its timeout, so one late or
 * missed probe is not a gap, two are. */
export function resultCapMs(check: Pick<CheckDefinition, 'intervalMs' | 'timeoutMs'>): number {
  return 2 * check.intervalMs + check.timeoutMs;
}
