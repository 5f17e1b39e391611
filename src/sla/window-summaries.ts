// Summaries of every check over any range, put together the cheap way: whole days from daily rollups, whole hours
// from hourly ones, and raw results only for the partial hours at the edges and what is not rolled up yet (the plan
// comes from planWindow). Each source is read with one query per range for all checks (cut into batches only to
// bound the rows per call), never one per check.
//
// Asked for every configured check (the minutely metrics, the SLA API without a filter), the sums over each rollup
// range are cached: rolled-up buckets never change, so a range's sums stay right until the range moves (hourly or
// daily). The windows' daily ranges all end at the same day, so a longer one reads only the days before the longest
// cached range that ends there and adds that range's sums: the five windows read a year of rows, not 490 days'.
// raw-summaries.ts keeps the raw side cheap. Asked for a few checks, everything is read directly.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { MaintenanceWindow } from '../model/maintenance.js';
import type { Rollup, RollupResolution, Store } from '../store/store.js';
import type { SummaryCheck } from './check-maintenance.js';
import type { Interval } from '../interval.js';
import { RawSummaries } from './raw-summaries.js';
import { bucketMs, HOUR_MS } from './rollup.js';
import { SummaryTable, type SummaryLookup } from './summary-table.js';
import type { UptimeSummary } from './uptime.js';
import { planWindow, type RolledUpTo } from './window-plan.js';

export interface WindowSummariesOptions {
  store: Store;
  /** Rows aimed at per store call. */
  budget?: number;
}

interface CachedSums {
  resolution: RollupResolution;
  range: Interval;
  sums: Promise<SummaryTable>;
}

const DEFAULT_BUDGET = 50_000;
/** Rollup range sums kept: five windows need at most three ranges each. */
const MAX_CACHED_SUMS = 24;

export class WindowSummaries {
  readonly #store: Store;
  readonly #budget: number;
  readonly #raw: RawSummaries;
  readonly #sums = new Map<string, CachedSums>();
  #checks: readonly SummaryCheck[] = [];

  constructor(options: WindowSummariesOptions) {
    this.#store = options.store;
    this.#budget = options.budget ?? DEFAULT_BUDGET;
    this.#raw = new RawSummaries({
      store: options.store,
      budget: this.#budget,
      hourRollups: (hourStart, checks) =>
        this.#readRollupSums('hour', { start: hourStart, end: hourStart + HOUR_MS }, checks),
    });
  }

  /** The configured checks (what "all checks" means) and maintenance windows; empties the caches. */
  configure(checks: readonly SummaryCheck[], maintenance: readonly MaintenanceWindow[]): void {
    this.#checks = checks;
    this.#sums.clear();
    this.#raw.configure(maintenance);
  }

  async rolledUpTo(): Promise<RolledUpTo> {
    const [hour, day] = await Promise.all([this.#store.rolledUpTo('hour'), this.#store.rolledUpTo('day')]);
    return { hour, day };
  }

  /**
   * Per check, its summary over [from, to), `to` at most `now`. `checks` undefined: every configured check, through
   * the caches. Every check asked for is in the answer, with an empty summary when nothing is known.
   */
  async summaries(from: number, to: number, now: number, checks?: readonly SummaryCheck[]): Promise<SummaryLookup> {
    const all = checks === undefined;
    const wanted = checks ?? this.#checks;
    const plan = planWindow(from, to, await this.rolledUpTo());
    const totals = SummaryTable.zeros(wanted);
    for (const range of plan.day) totals.addAll(await this.#rollupSums('day', range, wanted, all));
    for (const range of plan.hour) totals.addAll(await this.#rollupSums('hour', range, wanted, all));
    for (const range of plan.raw) totals.addAll(await this.#raw.summaries(range, wanted, now, all));
    return totals;
  }

  /** Per check, the summary of [start, end) from raw results alone (read directly: for a few checks). */
  rawSummaries(range: Interval, checks: readonly SummaryCheck[], now: number): Promise<SummaryLookup> {
    return this.#raw.summaries(range, checks, now);
  }

  async #rollupSums(
    resolution: RollupResolution,
    range: Interval,
    checks: readonly SummaryCheck[],
    cached: boolean,
  ): Promise<SummaryLookup> {
    if (!cached) return this.#readRollupSums(resolution, range, checks);
    const key = `${resolution}:${range.start}:${range.end}`;
    let entry = this.#sums.get(key);
    if (entry) this.#sums.delete(key); // re-inserted: the map's order is the least recently used first
    entry ??= { resolution, range, sums: this.#extendedSums(resolution, range, checks) };
    this.#sums.set(key, entry);
    const kept = entry;
    // A failed read is not kept: the next call tries again.
    kept.sums.catch(() => {
      if (this.#sums.get(key) === kept) this.#sums.delete(key);
    });
    for (const old of this.#sums.keys()) if (this.#sums.size > MAX_CACHED_SUMS) this.#sums.delete(old);
    return kept.sums;
  }

  /** The range's sums from the longest cached range inside it with the same end, plus the part before that one. */
  async #extendedSums(
    resolution: RollupResolution,
    range: Interval,
    checks: readonly SummaryCheck[],
  ): Promise<SummaryTable> {
    let inner: CachedSums | undefined;
    for (const entry of this.#sums.values()) {
      const within =
        entry.resolution === resolution && entry.range.end === range.end && entry.range.start > range.start;
      if (within && (!inner || entry.range.start < inner.range.start)) inner = entry;
    }
    if (!inner) return SummaryTable.of(checks, await this.#readRollupSums(resolution, range, checks));
    const before = { start: range.start, end: inner.range.start };
    const [head, rest] = await Promise.all([this.#readRollupSums(resolution, before, checks), inner.sums]);
    const sums = SummaryTable.of(checks, rest);
    sums.addAll(head);
    return sums;
  }

  /** Added up by the store: a year of a thousand checks is a third of a million rows, too many to send over. */
  async #readRollupSums(
    resolution: RollupResolution,
    range: Interval,
    checks: readonly SummaryCheck[],
  ): Promise<Map<string, UptimeSummary>> {
    const sums = new Map<string, UptimeSummary>();
    for (const checkIds of this.#batches(resolution, range, checks)) {
      const found = await this.#store.sumRollups({ resolution, from: range.start, to: range.end, checkIds });
      for (const { checkId, ...sum } of found) sums.set(checkId, sum);
      await yieldToEventLoop();
    }
    return sums;
  }

  /** Visits the checks' rollups whose buckets start in the range, a bounded number of rows per store call. */
  async forEachRollup(
    resolution: RollupResolution,
    range: Interval,
    checks: readonly SummaryCheck[],
    visit: (rollup: Rollup) => void,
  ): Promise<void> {
    for (const checkIds of this.#batches(resolution, range, checks)) {
      for (const rollup of await this.#store.listRollups({ resolution, from: range.start, to: range.end, checkIds })) {
        visit(rollup);
      }
      await yieldToEventLoop();
    }
  }

  /** Check ids in batches whose rollups in the range stay within the budget (the SQLite driver blocks meanwhile). */
  *#batches(resolution: RollupResolution, range: Interval, checks: readonly SummaryCheck[]): Generator<string[]> {
    const buckets = Math.max(1, Math.ceil((range.end - range.start) / bucketMs(resolution)));
    const perCall = Math.max(1, Math.floor(this.#budget / buckets));
    for (let index = 0; index < checks.length; index += perCall) {
      yield checks.slice(index, index + perCall).map((check) => check.id);
    }
  }
}
