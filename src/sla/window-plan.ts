// Splits an SLA window into the parts each source answers best: raw results for the partial hour at each edge,
// hourly rollups for the partial days, daily rollups for the whole days in between. Whatever is not rolled up yet
// (the newest hours) falls back to the next finer source. The caller fetches each part and adds the summaries up
// with `combine`.

import { floorTo } from '../floor-to.js';
import type { Interval } from '../interval.js';
import { DAY_MS, HOUR_MS } from './rollup.js';

export interface WindowPlan {
  /** Summarise from raw results. */
  raw: Interval[];
  /** Add up hourly rollups whose bucket starts in these ranges. */
  hour: Interval[];
  /** Add up daily rollups whose bucket starts in these ranges. */
  day: Interval[];
}

/** End of the newest bucket rolled up per resolution (Store.rolledUpTo); undefined: nothing rolled up yet. */
export interface RolledUpTo {
  hour: number | undefined;
  day: number | undefined;
}

export function planWindow(from: number, to: number, rolledUpTo: RolledUpTo): WindowPlan {
  const plan: WindowPlan = { raw: [], hour: [], day: [] };
  const hourStart = ceilTo(from, HOUR_MS);
  const hourEnd = Math.min(floorTo(to, HOUR_MS), floorTo(rolledUpTo.hour ?? -Infinity, HOUR_MS));
  if (hourStart >= hourEnd) {
    pushRange(plan.raw, from, to);
    return plan;
  }
  pushRange(plan.raw, from, hourStart);
  pushRange(plan.raw, hourEnd, to);

  const dayStart = ceilTo(hourStart, DAY_MS);
  const dayEnd = Math.min(floorTo(hourEnd, DAY_MS), floorTo(rolledUpTo.day ?? -Infinity, DAY_MS));
  if (dayStart >= dayEnd) {
    pushRange(plan.hour, hourStart, hourEnd);
    return plan;
  }
  pushRange(plan.hour, hourStart, dayStart);
  pushRange(plan.hour, dayEnd, hourEnd);
  pushRange(plan.day, dayStart, dayEnd);
  return plan;
}

function pushRange(ranges: Interval[], start: number, end: number): void {
  if (end > start) ranges.push({ start, end });
}

function ceilTo(at: number, size: number): number {
  return Math.ceil(at / size) * size;
}
