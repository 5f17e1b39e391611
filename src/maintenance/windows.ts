// Maintenance windows: one-off (start, end) or recurring (a 5-field cron expression, a duration and an IANA time
// zone), scoped to checks, groups or components. Expands them into the intervals a check is in maintenance, which
// the SLA engine excludes from both up and total time. Pure: the time range is passed in.
//
// Recurring windows follow the wall clock of their time zone; on DST days each wall-clock start happens once: when
// it does not exist it is shifted forward by the jump, when it happens twice the first one counts (zoned-time.ts).

import { Cron } from 'croner';
import { clipIntervals, mergeIntervals, type Interval } from '../interval.js';
import type { MaintenanceWindow, RecurringWindow, ScopedCheck } from '../model/maintenance.js';
import { fromWallClock, toWallClock } from './zoned-time.js';

export function appliesTo(window: MaintenanceWindow, check: ScopedCheck): boolean {
  const { checks = [], groups = [], components = [] } = window.scope;
  if (checks.length === 0 && groups.length === 0 && components.length === 0) return true;
  return checks.includes(check.id) || groups.includes(check.group) || components.includes(check.component);
}

/** The times one window is active that overlap [from, to), unclipped and unmerged, oldest first. */
export function occurrences(window: MaintenanceWindow, from: number, to: number): Interval[] {
  if (window.kind === 'one-off') {
    const interval = { start: Date.parse(window.start), end: Date.parse(window.end) };
    return interval.start < to && interval.end > from ? [interval] : [];
  }
  return recurringOccurrences(window, from, to);
}

/** When the check is in maintenance within [from, to): sorted, merged, clipped to the range. */
export function expandWindows(
  windows: readonly MaintenanceWindow[],
  check: ScopedCheck,
  from: number,
  to: number,
): Interval[] {
  const intervals = windows.filter((w) => appliesTo(w, check)).flatMap((w) => occurrences(w, from, to));
  return mergeIntervals(clipIntervals(intervals, from, to));
}

export function inMaintenance(windows: readonly MaintenanceWindow[], check: ScopedCheck, at: number): boolean {
  return expandWindows(windows, check, at, at + 1).length > 0;
}

/** Parses the cron expression in strict 5-field form; throws with croner's message when it is not one. */
export function compileCron(expression: string): Cron {
  // The cron runs on wall-clock times encoded as UTC (utcOffset 0), so it never sees a DST jump.
  return new Cron(expression, { mode: '5-part', utcOffset: 0, paused: true });
}

// Wall-clock and real time differ by the zone's offset (at most a day either way), so the wall-clock search range
// is widened by that much and the matches filtered by their real times.
const OFFSET_MARGIN_MS = 2 * 86_400_000;

function recurringOccurrences(window: RecurringWindow, from: number, to: number): Interval[] {
  const cron = compileCron(window.cron);
  const wallEnd = toWallClock(window.timezone, to) + OFFSET_MARGIN_MS;
  const found: Interval[] = [];
  const starts = new Set<number>();
  let cursor: Date | null = new Date(toWallClock(window.timezone, from - window.durationMs) - OFFSET_MARGIN_MS);
  // Bounded: every step moves at least a minute forward in wall-clock time and stops at wallEnd.
  while ((cursor = cron.nextRun(cursor)) !== null && cursor.getTime() < wallEnd) {
    const start = fromWallClock(window.timezone, cursor.getTime());
    const end = start + window.durationMs;
    if (start >= to || end <= from || starts.has(start)) continue;
    starts.add(start);
    found.push({ start, end });
  }
  // A skipped wall-clock time shifted forward can land on or after the next match: keep time order, once each.
  return found.sort((a, b) => a.start - b.start);
}
