// Time-weighted uptime of one check over one window. A summary keeps healthy, degraded and down time apart (whether
// degraded counts as up is decided only when a percent is asked for), so summaries of hours and days can be stored
// as rollups, added up later, and stay right when the setting changes.
//
// Every millisecond of [from, to) lands in exactly one field: up + degraded + down + maintenance + unknown = to - from.
// Maintenance time is taken out first (whatever the check reported then); unknown is the rest that no result covers,
// including results whose own status is `unknown`.

import type { Rollup } from '../store/store.js';
import { clipIntervals, IntervalSet, type Interval } from '../interval.js';
import { resultSpans, type SpanInput } from './spans.js';

export type UptimeSummary = Pick<
  Rollup,
  'upMs' | 'degradedMs' | 'downMs' | 'maintenanceMs' | 'unknownMs' | 'checksTotal' | 'checksSuccess' | 'checksFailed'
>;

export interface SummaryInput extends SpanInput {
  /** Maintenance windows that apply to this check (any order, may overlap or reach outside the window). */
  maintenance: readonly Interval[];
}

export function emptySummary(): UptimeSummary {
  return {
    upMs: 0,
    degradedMs: 0,
    downMs: 0,
    maintenanceMs: 0,
    unknownMs: 0,
    checksTotal: 0,
    checksSuccess: 0,
    checksFailed: 0,
  };
}

export function summarize(input: SummaryInput): UptimeSummary {
  const summary = emptySummary();
  const { from, to } = input;
  if (to <= from) return summary;

  const maintenance = new IntervalSet(clipIntervals(input.maintenance, from, to));
  summary.maintenanceMs = maintenance.totalMs;
  for (const span of resultSpans(input)) {
    const outside = span.end - span.start - maintenance.overlapMs(span.start, span.end);
    if (span.status === 'healthy') summary.upMs += outside;
    else if (span.status === 'degraded') summary.degradedMs += outside;
    else if (span.status === 'down') summary.downMs += outside;
  }
  summary.unknownMs = to - from - summary.maintenanceMs - measuredMs(summary);

  // Counts follow the time: a result that started inside maintenance is not counted either. Success is what the
  // `uptime_check_success` metric calls success (healthy or degraded); `unknown` results count in the total only.
  for (const result of input.results) {
    if (result.startedAt < from || result.startedAt >= to || maintenance.contains(result.startedAt)) continue;
    summary.checksTotal++;
    if (result.status === 'healthy' || result.status === 'degraded') summary.checksSuccess++;
    else if (result.status === 'down') summary.checksFailed++;
  }
  return summary;
}

/** Time with a known status outside maintenance: the SLA's denominator. */
export function measuredMs(summary: UptimeSummary): number {
  return summary.upMs + summary.degradedMs + summary.downMs;
}

/** Measured time that counts against the SLA. */
export function badMs(summary: UptimeSummary, countDegradedAsUp: boolean): number {
  return summary.downMs + (countDegradedAsUp ? 0 : summary.degradedMs);
}

/** Up / (up + down) × 100; undefined when nothing was measured (no data is neither 100 % nor 0 %). */
export function uptimePercent(summary: UptimeSummary, countDegradedAsUp: boolean): number | undefined {
  const measured = measuredMs(summary);
  if (measured === 0) return undefined;
  return ((measured - badMs(summary, countDegradedAsUp)) / measured) * 100;
}

/** Sum of summaries: adjacent windows, the buckets of a rollup, or the checks of a component. */
export function combine(parts: readonly UptimeSummary[]): UptimeSummary {
  const total = emptySummary();
  for (const part of parts) addInto(total, part);
  return total;
}

/** combine() in place, for sums over many rows (a 365-day range of a thousand checks is a third of a million). */
export function addInto(sum: UptimeSummary, part: UptimeSummary): void {
  sum.upMs += part.upMs;
  sum.degradedMs += part.degradedMs;
  sum.downMs += part.downMs;
  sum.maintenanceMs += part.maintenanceMs;
  sum.unknownMs += part.unknownMs;
  sum.checksTotal += part.checksTotal;
  sum.checksSuccess += part.checksSuccess;
  sum.checksFailed += part.checksFailed;
}
