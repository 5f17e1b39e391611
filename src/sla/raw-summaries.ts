// Per-check summaries straight from raw results, for the parts of a window no rollup covers: the partial hour at
// its start (the "leading edge") and the newest hours not rolled up yet (the "trailing edge").
//
// For all configured checks (the minutely metrics) three things keep this cheap:
// - the raw results of those few hours stay in memory (RecentResults);
// - a leading edge only shrinks as time passes ([x, next hour) with x moving on), and its hour is complete, so its
//   summary is kept and the minute that left the window subtracted: summaries add up exactly (integer
//   milliseconds and counts), so a - b is as exact as computing the rest afresh;
// - a leading edge seen for the first time is read from whichever side of x is shorter: [x, next hour) itself, or
//   [hour, x) subtracted from the hour's rollup, so no more than half an hour is read (see #coldEdge);
// - the trailing edge is the same range for every window asked about at the same moment: computed once.
// For a few checks, or a range too long to hold in memory (rollups far behind), results are read in slices.

import type { MaintenanceWindow } from '../model/maintenance.js';
import type { Store } from '../store/store.js';
import { maintenanceByCheck, resultCapMs, type SummaryCheck } from './check-maintenance.js';
import type { Interval } from '../interval.js';
import { RecentResults, type CheckRange } from './recent-results.js';
import { resultSlices } from './result-slices.js';
import { HOUR_MS } from './rollup.js';
import { SummaryTable, type SummaryLookup } from './summary-table.js';
import { combine, emptySummary, summarize, type UptimeSummary } from './uptime.js';

export interface RawSummariesOptions {
  store: Store;
  /** Per check, the hourly rollup of the hour starting at `hourStart`; checks without one are absent. */
  hourRollups: (hourStart: number, checks: readonly SummaryCheck[]) => Promise<Map<string, UptimeSummary>>;
  /** Rows aimed at per store call. */
  budget: number;
  /** Ranges up to this long are served from memory when all checks are asked for; default 2 hours. */
  recentRangeMs?: number;
  /** Results younger than this may still arrive out of order; default 2 minutes. */
  settleMs?: number;
}

type Sums = Map<string, UptimeSummary>;

/** A leading edge: the summaries of [from, its end). */
interface Edge {
  from: number;
  sums: Promise<SummaryLookup>;
}

/** Leading edges kept: one per SLA window, with room to spare. */
const MAX_EDGES = 8;

export class RawSummaries {
  readonly #store: Store;
  readonly #hourRollups: RawSummariesOptions['hourRollups'];
  readonly #budget: number;
  readonly #recentRangeMs: number;
  readonly #settleMs: number;
  readonly #recent: RecentResults;
  /** Leading edges by their end. */
  readonly #edges = new Map<number, Edge>();
  /** Ranges asked about at the current `now`, by `start:end`. */
  #atNow = { now: Number.NaN, sums: new Map<string, Promise<SummaryLookup>>() };
  #maintenance: readonly MaintenanceWindow[] = [];

  constructor(options: RawSummariesOptions) {
    this.#store = options.store;
    this.#hourRollups = options.hourRollups;
    this.#budget = options.budget;
    this.#recentRangeMs = options.recentRangeMs ?? 2 * HOUR_MS;
    this.#settleMs = options.settleMs ?? 120_000;
    this.#recent = new RecentResults(options.store, { budget: options.budget, settleMs: this.#settleMs });
  }

  /** New maintenance windows or checks: everything kept was computed with the old ones. */
  configure(maintenance: readonly MaintenanceWindow[]): void {
    this.#maintenance = maintenance;
    this.#recent.clear();
    this.#edges.clear();
    this.#atNow = { now: Number.NaN, sums: new Map() };
  }

  /** Per check, the summary of [start, end) from raw results; `allChecks`: `checks` is every configured check. */
  summaries(range: Interval, checks: readonly SummaryCheck[], now: number, allChecks = false): Promise<SummaryLookup> {
    if (!allChecks || range.end - range.start > this.#recentRangeMs) return this.#sliced(range, checks);
    const complete = range.end % HOUR_MS === 0 && range.end + this.#settleMs <= now;
    if (complete) return this.#leadingEdge(range, checks, now);
    if (this.#atNow.now !== now) this.#atNow = { now, sums: new Map() };
    const key = `${range.start}:${range.end}`;
    let sums = this.#atNow.sums.get(key);
    if (!sums) this.#atNow.sums.set(key, (sums = this.#kept(checks, this.#fromMemory(range, checks, now))));
    return sums;
  }

  #leadingEdge(range: Interval, checks: readonly SummaryCheck[], now: number): Promise<SummaryLookup> {
    const kept = this.#edges.get(range.end);
    this.#edges.delete(range.end); // re-inserted below: the map's order is the least recently used first
    const sums = this.#kept(
      checks,
      kept && kept.from <= range.start ? this.#shrunk(kept, range, checks, now) : this.#coldEdge(range, checks, now),
    );
    this.#edges.set(range.end, { from: range.start, sums });
    sums.catch(() => {
      if (this.#edges.get(range.end)?.sums === sums) this.#edges.delete(range.end);
    });
    for (const end of this.#edges.keys()) if (this.#edges.size > MAX_EDGES) this.#edges.delete(end);
    return sums;
  }

  /** Summaries to keep past this call, compactly. */
  async #kept(checks: readonly SummaryCheck[], sums: Promise<SummaryLookup>): Promise<SummaryLookup> {
    const found = await sums;
    return found instanceof SummaryTable ? found : SummaryTable.of(checks, found);
  }

  async #shrunk(kept: Edge, range: Interval, checks: readonly SummaryCheck[], now: number): Promise<SummaryLookup> {
    const before = await kept.sums;
    if (kept.from === range.start) return before;
    const left = await this.#fromMemory({ start: kept.from, end: range.start }, checks, now);
    const rest = (id: string): UptimeSummary => minus(before.get(id) ?? emptySummary(), left.get(id) ?? emptySummary());
    return new Map(checks.map((check) => [check.id, rest(check.id)]));
  }

  /**
   * A leading edge [x, end) not kept yet. Past the middle of its hour it is read as it is. Before it, it is the hour's
   * rollup less [hour, x): exact wherever the rollup summarised the same results the same way. Where it may not have,
   * the check's edge is read as it is: no rollup (a check added since, a rollup pruned), maintenance in the hour now
   * or when it was rolled up (the windows may have changed since), or a difference below zero (results rolled up
   * that are gone now, or that came in after the rollup).
   */
  async #coldEdge(range: Interval, checks: readonly SummaryCheck[], now: number): Promise<Sums> {
    const hour = { start: range.end - HOUR_MS, end: range.end };
    if (range.start - hour.start >= range.end - range.start) return this.#fromMemory(range, checks, now);
    const [rollups, head] = await Promise.all([
      this.#hourRollups(hour.start, checks),
      this.#fromMemory({ start: hour.start, end: range.start }, checks, now),
    ]);
    const inMaintenance = maintenanceByCheck(this.#maintenance, checks, hour.start, hour.end);
    const sums: Sums = new Map();
    const unsure: SummaryCheck[] = [];
    for (const check of checks) {
      const rollup = rollups.get(check.id);
      const rest = rollup && minus(rollup, head.get(check.id) ?? emptySummary());
      const exact = rest && rollup.maintenanceMs === 0 && !inMaintenance.has(check.id) && !hasNegative(rest);
      if (exact) sums.set(check.id, rest);
      else unsure.push(check);
    }
    if (unsure.length > 0) for (const [id, summary] of await this.#sliced(range, unsure)) sums.set(id, summary);
    return sums;
  }

  async #fromMemory(range: Interval, checks: readonly SummaryCheck[], now: number): Promise<Sums> {
    const ranges = await this.#recent.range(range.start, range.end, checks, now);
    const summary = this.#summarizer(range, checks);
    return new Map(checks.map((check) => [check.id, summary(check, range.start, range.end, ranges.get(check.id))]));
  }

  async #sliced(range: Interval, checks: readonly SummaryCheck[]): Promise<Sums> {
    const summary = this.#summarizer(range, checks);
    // Before the checks' earliest result there is nothing to read: that time is summarised as the slices would
    // summarise it (no result in force, none inside), without walking it an hour at a time.
    const first = checks.length === 0 ? undefined : await this.#store.firstResultAt(checks.map((check) => check.id));
    const start = Math.min(range.end, Math.max(range.start, first ?? range.end));
    const totals = new Map(checks.map((check) => [check.id, summary(check, range.start, start, undefined)]));
    const byId = new Map(checks.map((check) => [check.id, check]));
    for await (const slice of resultSlices(this.#store, start, range.end, checks, { budget: this.#budget })) {
      for (const id of slice.checkIds) {
        const input = { results: slice.results.get(id) ?? [], before: slice.before.get(id) };
        totals.set(id, combine([totals.get(id)!, summary(byId.get(id)!, slice.from, slice.to, input)]));
      }
    }
    return totals;
  }

  /** Summarises any part of `range` for a check, with the check's maintenance in the range. */
  #summarizer(range: Interval, checks: readonly SummaryCheck[]) {
    const maintenance = maintenanceByCheck(this.#maintenance, checks, range.start, range.end);
    return (check: SummaryCheck, from: number, to: number, input: CheckRange | undefined): UptimeSummary =>
      summarize({
        results: input?.results ?? [],
        before: input?.before,
        from,
        to,
        capMs: resultCapMs(check),
        maintenance: maintenance.get(check.id) ?? [],
      });
  }
}

function hasNegative(summary: UptimeSummary): boolean {
  return Object.values(summary).some((value) => value < 0);
}

function minus(whole: UptimeSummary, part: UptimeSummary): UptimeSummary {
  return {
    upMs: whole.upMs - part.upMs,
    degradedMs: whole.degradedMs - part.degradedMs,
    downMs: whole.downMs - part.downMs,
    maintenanceMs: whole.maintenanceMs - part.maintenanceMs,
    unknownMs: whole.unknownMs - part.unknownMs,
    checksTotal: whole.checksTotal - part.checksTotal,
    checksSuccess: whole.checksSuccess - part.checksSuccess,
    checksFailed: whole.checksFailed - part.checksFailed,
  };
}
