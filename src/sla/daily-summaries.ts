// Per UTC day, the summaries of every configured check: what the status page's daily bars add up per component.
//
// A day whose daily rollup exists is final: its rollups never change, so its table is read once (all such days in one
// pass over the daily rollups) and kept. Only the days not closed yet (today, and yesterday until the rollup job has
// rolled it up) are summarised on each call, through WindowSummaries and its caches. Kept days are read again at most
// hourly, when the retention job may have pruned old rollups, so a pruned day does not linger for long.

import type { Interval } from '../interval.js';
import type { SummaryCheck } from './check-maintenance.js';
import { DAY_MS } from './rollup.js';
import { SummaryTable, type SummaryLookup } from './summary-table.js';
import type { UptimeSummary } from './uptime.js';
import { planWindow, type RolledUpTo } from './window-plan.js';
import type { WindowSummaries } from './window-summaries.js';

/** How long a final day is kept before it is read again: the retention job runs hourly. */
const REREAD_AFTER_MS = 3_600_000;

export class DailySummaries {
  readonly #summaries: WindowSummaries;
  #checks: readonly SummaryCheck[] = [];
  /** Final days by their start. */
  #final = new Map<number, Promise<SummaryLookup>>();
  #readSince = Number.NaN;
  /** The last answer, for the calls at the same moment (one per status page component). */
  #last: { key: string; days: Promise<Map<number, SummaryLookup>> } | undefined;

  constructor(summaries: WindowSummaries) {
    this.#summaries = summaries;
  }

  /** The configured checks (what the tables hold); forgets every kept day. */
  configure(checks: readonly SummaryCheck[]): void {
    this.#checks = checks;
    this.forget();
  }

  forget(): void {
    this.#final = new Map();
    this.#readSince = Number.NaN;
    this.#last = undefined;
  }

  /**
   * Per day start from `from` to `today` (both UTC midnights), every configured check's summary of that day up to
   * `now`; a day not final is summarised afresh. A check with nothing known may be absent from a day's lookup.
   */
  days(from: number, today: number, now: number): Promise<Map<number, SummaryLookup>> {
    const key = `${from}:${today}:${now}`;
    if (this.#last?.key !== key) {
      const last = { key, days: this.#days(from, today, now) };
      this.#last = last;
      last.days.catch(() => {
        if (this.#last === last) this.#last = undefined;
      });
    }
    return this.#last.days;
  }

  async #days(from: number, today: number, now: number): Promise<Map<number, SummaryLookup>> {
    if (!(now - this.#readSince < REREAD_AFTER_MS)) {
      this.#final = new Map();
      this.#readSince = now;
    }
    const rolledUpTo = await this.#summaries.rolledUpTo();
    const unread: number[] = [];
    for (let day = from; day <= today; day += DAY_MS) {
      if (!this.#final.has(day) && isFinal(day, rolledUpTo)) unread.push(day);
    }
    for (const range of runs(unread)) this.#readFinal(range);
    const found = new Map<number, SummaryLookup>();
    for (let day = from; day <= today; day += DAY_MS) {
      const final = this.#final.get(day);
      found.set(day, await (final ?? this.#summaries.summaries(day, Math.min(day + DAY_MS, now), now)));
    }
    return found;
  }

  /** Reads the daily rollups of every day in the range once, and keeps each day's table. */
  #readFinal(range: Interval): void {
    const checks = this.#checks;
    const tables = (async () => {
      const byDay = new Map<number, [string, UptimeSummary][]>();
      await this.#summaries.forEachRollup('day', range, checks, (rollup) => {
        let rows = byDay.get(rollup.bucketStart);
        if (!rows) byDay.set(rollup.bucketStart, (rows = []));
        rows.push([rollup.checkId, rollup]);
      });
      return byDay;
    })();
    const kept = this.#final;
    for (let day = range.start; day < range.end; day += DAY_MS) {
      const table = tables.then((byDay) => SummaryTable.of(checks, byDay.get(day) ?? []));
      kept.set(day, table);
      // A failed read is not kept: the next call tries again.
      table.catch(() => {
        if (kept.get(day) === table) kept.delete(day);
      });
    }
  }
}

/** The day is summarised by its daily rollup alone. */
function isFinal(day: number, rolledUpTo: RolledUpTo): boolean {
  const plan = planWindow(day, day + DAY_MS, rolledUpTo);
  return plan.raw.length === 0 && plan.hour.length === 0 && plan.day.length === 1;
}

/** Consecutive day starts as ranges. */
function runs(days: readonly number[]): Interval[] {
  const ranges: Interval[] = [];
  for (const day of days) {
    const last = ranges.at(-1);
    if (last && last.end === day) last.end = day + DAY_MS;
    else ranges.push({ start: day, end: day + DAY_MS });
  }
  return ranges;
}
