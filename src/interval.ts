// Half-open time intervals [start, end) in Unix milliseconds, and a sorted, merged set of them that answers
// "how much of this span is covered" quickly: the SLA engine asks that once per result span.

export interface Interval {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Sorted, non-overlapping, non-touching intervals; empty ones dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end);
      continue;
    }
    merged.push({ start: interval.start, end: interval.end });
  }
  return merged;
}

/** The parts of the intervals inside [from, to). */
export function clipIntervals(intervals: readonly Interval[], from: number, to: number): Interval[] {
  return intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start);
}

export function totalLength(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, i) => sum + (i.end - i.start), 0);
}

export class IntervalSet {
  readonly intervals: readonly Interval[];

  constructor(intervals: readonly Interval[]) {
    this.intervals = mergeIntervals(intervals);
  }

  get totalMs(): number {
    return totalLength(this.intervals);
  }

  /** Milliseconds of [start, end) inside the set. */
  overlapMs(start: number, end: number): number {
    let covered = 0;
    for (let i = this.firstEndingAfter(start); i < this.intervals.length; i++) {
      const interval = this.intervals[i]!;
      if (interval.start >= end) break;
      covered += Math.min(interval.end, end) - Math.max(interval.start, start);
    }
    return covered;
  }

  contains(at: number): boolean {
    const interval = this.intervals[this.firstEndingAfter(at)];
    return interval !== undefined && interval.start <= at;
  }

  /** Index of the first interval whose end is after `at` (binary search: the set is sorted and disjoint). */
  private firstEndingAfter(at: number): number {
    let low = 0;
    let high = this.intervals.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.intervals[middle]!.end <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
