// Hourly and daily rollups: the summary of each UTC hour or day of one check, so a 365-day SLA adds up a few hundred
// rows instead of scanning raw results. A bucket is summarised exactly as the raw window would be (the result in
// force carries over from the previous bucket), so rollups added up equal the raw computation.

import { copyWith } from '../copy-with.js';
import type { Rollup, RollupResolution } from '../store/store.js';
import type { Interval } from '../interval.js';
import { sortedByStart, type TimedStatus } from './spans.js';
import { combine, summarize, type UptimeSummary } from './uptime.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function bucketMs(resolution: RollupResolution): number {
  return resolution === 'hour' ? HOUR_MS : DAY_MS;
}

export interface BucketInput {
  checkId: string;
  /** The check's results in [from, to). */
  results: readonly TimedStatus[];
  /** The last result before `from`. */
  before?: TimedStatus | undefined;
  /** Both aligned to the resolution (UTC). */
  from: number;
  to: number;
  resolution: RollupResolution;
  capMs: number;
  maintenance: readonly Interval[];
}

/**
 * One rollup per bucket of [from, to), empty ones too: an hour with no data is a row of unknown time, so the rollups
 * of a window add up to the whole window and a missing row only ever means "not rolled up yet".
 */
export function summarizeBuckets(input: BucketInput): Rollup[] {
  const size = bucketMs(input.resolution);
  if (input.from % size !== 0 || input.to % size !== 0) {
    throw new RangeError(`rollup range must be aligned to whole ${input.resolution}s (UTC)`);
  }
  const results = sortedByStart(input.results.filter((r) => r.startedAt >= input.from && r.startedAt < input.to));
  const rollups: Rollup[] = [];
  let next = 0;
  let before = input.before;
  for (let bucketStart = input.from; bucketStart < input.to; bucketStart += size) {
    const bucketEnd = bucketStart + size;
    const first = next;
    while (next < results.length && results[next]!.startedAt < bucketEnd) next++;
    const inBucket = results.slice(first, next);
    const summary = summarize(copyWith(input, { results: inBucket, before, from: bucketStart, to: bucketEnd }));
    rollups.push({ checkId: input.checkId, resolution: input.resolution, bucketStart, ...summary });
    before = inBucket.at(-1) ?? before;
  }
  return rollups;
}

/** Daily rollups from hourly ones (pass only the hours of complete days). */
export function rollUpDays(hourly: readonly Rollup[]): Rollup[] {
  const groups = new Map<string, { checkId: string; bucketStart: number; parts: UptimeSummary[] }>();
  for (const hour of hourly) {
    const bucketStart = hour.bucketStart - (hour.bucketStart % DAY_MS);
    const key = `${hour.checkId}\u0000${bucketStart}`;
    const group = groups.get(key) ?? { checkId: hour.checkId, bucketStart, parts: [] };
    group.parts.push(hour);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    checkId: g.checkId,
    resolution: 'day',
    bucketStart: g.bucketStart,
    ...combine(g.parts),
  }));
}
