// The raw results of every configured check in the few UTC hours the SLA windows still read raw: the partial hour
// at each window's start and the hours not rolled up yet. Kept in memory, compactly, so the SLA figures refreshed
// every minute read only what is new. An hour is read only over the part asked for, from the first start asked
// about (a window's leading edge needs [x, next hour) or [hour, x), not the whole hour) up to the latest end asked
// about, and extended as later calls ask for more; the current hour keeps what has settled (results started more
// than `settleMs` ago; a probe still running or a batch not yet flushed may land before that) and re-reads only the
// unsettled tail on each call.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CheckDefinition } from '../model/check.js';
import type { CheckStatus } from '../model/result.js';
import { floorTo } from '../floor-to.js';
import type { Store } from '../store/store.js';
import type { Interval } from '../interval.js';
import { byCheck, checkBatches, timed } from './result-slices.js';
import { HOUR_MS } from './rollup.js';
import type { TimedStatus } from './spans.js';

export interface RecentOptions {
  /** Results younger than this may still arrive out of order; default 2 minutes. */
  settleMs?: number;
  /** Hours kept at most; the least recently used go first. Default 16. */
  maxHours?: number;
  /** Rows aimed at per store call. */
  budget?: number;
}

/** One check's input to the SLA math over a range. */
export interface CheckRange {
  results: TimedStatus[];
  before?: TimedStatus;
}

type RecentCheck = Pick<CheckDefinition, 'id' | 'intervalMs'>;

const STATUSES: readonly CheckStatus[] = ['healthy', 'degraded', 'down', 'unknown'];
const STATUS_CODE = new Map(STATUSES.map((status, code) => [status, code]));

/** A check's results in one hour as two parallel arrays: an object per result would cost three times the memory. */
interface Column {
  times: number[];
  codes: number[];
}

interface Hour {
  start: number;
  /** Where the columns begin: results before this (in the hour) were not read. */
  from: number;
  /** Per check, the last result before `from`. */
  before: Map<string, TimedStatus>;
  columns: Map<string, Column>;
  /** Every result started in [from, settledTo) is in `columns`. */
  settledTo: number;
  /** Refreshes run one after another: two at once would append the same rows twice. */
  queue: Promise<unknown>;
}

export class RecentResults {
  readonly #store: Store;
  readonly #settleMs: number;
  readonly #maxHours: number;
  readonly #budget: number;
  readonly #hours = new Map<number, Hour>();

  constructor(store: Store, options: RecentOptions = {}) {
    this.#store = store;
    this.#settleMs = options.settleMs ?? 120_000;
    this.#maxHours = options.maxHours ?? 16;
    this.#budget = options.budget ?? 50_000;
  }

  /** Forget everything (the set of checks changed). */
  clear(): void {
    this.#hours.clear();
  }

  /** Per check, its results in [from, to) and the one in force at `from`. `to` must not be after `now`. */
  async range(from: number, to: number, checks: readonly RecentCheck[], now: number): Promise<Map<string, CheckRange>> {
    const views: HourView[] = [];
    for (let start = floorTo(from, HOUR_MS); start < to; start += HOUR_MS) {
      const part = { start: Math.max(from, start), end: Math.min(to, start + HOUR_MS) };
      views.push(await this.#view(start, part, checks, now));
    }
    const ranges = new Map<string, CheckRange>();
    for (const check of checks) {
      const results = views.flatMap((view) => view.results(check.id, from, to));
      const before = views[0]?.lastBefore(check.id, from);
      ranges.set(check.id, before ? { results, before } : { results });
    }
    this.#evict();
    return ranges;
  }

  /** The hour starting at `start`, read at least over `part` (inside the hour, its end not after `now`). */
  async #view(start: number, part: Interval, checks: readonly RecentCheck[], now: number): Promise<HourView> {
    let hour = this.#hours.get(start);
    if (hour) this.#hours.delete(start); // re-inserted below: the map's order is the least recently used first
    // Asked about earlier results than were read: read the hour afresh from there (windows' edges only move on, so
    // this is rare).
    if (!hour || hour.from > part.start) {
      const created: Hour = {
        start,
        from: part.start,
        before: new Map(),
        columns: new Map(),
        settledTo: part.start,
        queue: Promise.resolve(),
      };
      created.queue = this.#loadBefore(created, checks);
      hour = created;
    }
    this.#hours.set(start, hour);
    const loaded = hour;
    const refreshed = loaded.queue.then(() => this.#refresh(loaded, part.end, checks, now));
    // Settles to nothing either way: `catch` alone would pass the unsettled results on and keep them until the next
    // call (5-6 MB at 10,000 checks).
    loaded.queue = refreshed.then(
      () => undefined,
      () => undefined,
    );
    try {
      return new HourView(loaded, await refreshed);
    } catch (error) {
      // Half-loaded: drop it so the next call starts the hour afresh.
      if (this.#hours.get(start) === loaded) this.#hours.delete(start);
      throw error;
    }
  }

  async #loadBefore(hour: Hour, checks: readonly RecentCheck[]): Promise<void> {
    for (const batch of checkBatches(checks, this.#budget)) {
      for (const result of await this.#store.lastResultsBefore(hour.from, batch.ids)) {
        hour.before.set(result.checkId, timed(result));
      }
    }
  }

  /**
   * Reads the hour on from what was read before, up to `to`; returns the unsettled results, kept for this call only.
   */
  async #refresh(
    hour: Hour,
    to: number,
    checks: readonly RecentCheck[],
    now: number,
  ): Promise<Map<string, TimedStatus[]>> {
    const end = Math.min(hour.start + HOUR_MS, now, to);
    const settled = Math.max(hour.settledTo, Math.min(end, now - this.#settleMs));
    const unsettled = new Map<string, TimedStatus[]>();
    if (hour.settledTo >= end) return unsettled;
    for (const batch of checkBatches(checks, this.#budget)) {
      const read = byCheck(await this.#store.resultsInRange(hour.settledTo, end, batch.ids));
      for (const [id, results] of read) {
        const fresh = keepSettled(hour, id, results, settled);
        if (fresh.length > 0) unsettled.set(id, fresh);
      }
      await yieldToEventLoop();
    }
    hour.settledTo = settled;
    return unsettled;
  }

  #evict(): void {
    for (const start of this.#hours.keys()) {
      if (this.#hours.size <= this.#maxHours) return;
      this.#hours.delete(start);
    }
  }
}

/** Appends the results started before `settled` to the hour's column; returns the rest. */
function keepSettled(hour: Hour, id: string, results: readonly TimedStatus[], settled: number): TimedStatus[] {
  let column = hour.columns.get(id);
  if (!column) hour.columns.set(id, (column = { times: [], codes: [] }));
  let index = 0;
  for (; index < results.length && results[index]!.startedAt < settled; index++) {
    column.times.push(results[index]!.startedAt);
    column.codes.push(STATUS_CODE.get(results[index]!.status) ?? STATUS_CODE.get('unknown')!);
  }
  return results.slice(index);
}

/** One hour as read for one call: its settled columns plus the unsettled tail. */
class HourView {
  constructor(
    private readonly hour: Hour,
    private readonly unsettled: ReadonlyMap<string, TimedStatus[]>,
  ) {}

  results(id: string, from: number, to: number): TimedStatus[] {
    const found: TimedStatus[] = [];
    const column = this.hour.columns.get(id);
    if (column) {
      for (let i = firstAtOrAfter(column.times, from); i < column.times.length && column.times[i]! < to; i++) {
        found.push({ startedAt: column.times[i]!, status: STATUSES[column.codes[i]!]! });
      }
    }
    // A later call may have settled some of these since (calls overlap): those are in the column now.
    const after = Math.max(from, this.hour.settledTo);
    for (const result of this.unsettled.get(id) ?? []) {
      if (result.startedAt >= after && result.startedAt < to) found.push(result);
    }
    return found;
  }

  /** The last result before `at` (`at` not before the hour's `from`): read in the hour, else the one before. */
  lastBefore(id: string, at: number): TimedStatus | undefined {
    const inHour = this.results(id, this.hour.from, at).at(-1);
    return inHour ?? this.hour.before.get(id);
  }
}

function firstAtOrAfter(times: readonly number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
