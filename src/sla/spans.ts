// Turns a check's results into the time each one stands for: from its start until the next result starts, but never
// longer than the cap. Time no result covers (gaps beyond the cap, before a new check's first result) is unknown: it
// is simply not part of any span, so it can never be counted as up.

import type { StoredResult } from '../store/store.js';
import type { CheckStatus } from '../model/result.js';

/** What the SLA math needs of a result; a StoredResult has it. */
export type TimedStatus = Pick<StoredResult, 'startedAt' | 'status'>;

export interface StatusSpan {
  start: number;
  /** Exclusive. */
  end: number;
  status: CheckStatus;
}

export interface SpanInput {
  /** One check's results; those outside [from, to) are ignored. */
  results: readonly TimedStatus[];
  /** The last result before `from`: it is in force when the window opens. */
  before?: TimedStatus | undefined;
  from: number;
  /** Exclusive. */
  to: number;
  /** How long one result stands for at most (callers pass about twice the check's interval). */
  capMs: number;
}

export function resultSpans(input: SpanInput): StatusSpan[] {
  const { from, to, capMs } = input;
  const inWindow = sortedByStart(input.results.filter((r) => r.startedAt >= from && r.startedAt < to));
  const inForce = input.before !== undefined && input.before.startedAt < from ? [input.before, ...inWindow] : inWindow;

  const spans: StatusSpan[] = [];
  for (let i = 0; i < inForce.length; i++) {
    const result = inForce[i]!;
    const nextStart = inForce[i + 1]?.startedAt ?? to;
    const start = Math.max(result.startedAt, from);
    const end = Math.min(nextStart, result.startedAt + capMs, to);
    if (end > start) spans.push({ start, end, status: result.status });
  }
  return spans;
}

/** Results in time order; the store already returns them so, hence the check before sorting a copy. */
export function sortedByStart<T extends TimedStatus>(results: readonly T[]): readonly T[] {
  for (let i = 1; i < results.length; i++) {
    if (results[i]!.startedAt < results[i - 1]!.startedAt)
      return [...results].sort((a, b) => a.startedAt - b.startedAt);
  }
  return results;
}
