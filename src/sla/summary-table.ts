// The summaries of many checks over one range in one Float64Array, a row of eight numbers per check, instead of a
// Map of objects. The SLA caches keep their ranges this way between refreshes: a range of 10,000 checks takes 0.6 MB
// instead of 1.6 MB (each summary an object whose eight fields, past 2^31 ms, are boxed numbers), and the prober
// keeps about a dozen. A window's summaries are added up in one too: as Maps, the five windows of a refresh left
// about 20 MB of objects that live through its awaits into the old generation (bench/RESULTS.md). Summaries are
// handed out as fresh objects, so a caller may change them without touching the table.

import type { UptimeSummary } from './uptime.js';

/** Per check id, its summary: what the SLA caches hold (a Map or a SummaryTable). */
export interface SummaryLookup extends Iterable<[string, UptimeSummary]> {
  get(checkId: string): UptimeSummary | undefined;
}

interface Identified {
  id: string;
}

/** Numbers per check, in the order add() and #summary() agree on. */
const WIDTH = 8;

/** Rows by check id, one per list of checks (the configured ones: the same array until the next reload). */
const rowsOf = new WeakMap<readonly Identified[], ReadonlyMap<string, number>>();

function rowIndex(checks: readonly Identified[]): ReadonlyMap<string, number> {
  let rows = rowsOf.get(checks);
  if (!rows) rowsOf.set(checks, (rows = new Map(checks.map((check, row) => [check.id, row]))));
  return rows;
}

export class SummaryTable implements SummaryLookup {
  readonly #checks: readonly Identified[];
  readonly #rows: ReadonlyMap<string, number>;
  /** WIDTH numbers per check; a check without a summary has NaN in its first. */
  readonly #values: Float64Array;

  private constructor(checks: readonly Identified[], values: Float64Array) {
    this.#checks = checks;
    this.#rows = rowIndex(checks);
    this.#values = values;
  }

  /** The summaries of `checks` found in `sums`; ids in `sums` that are not among `checks` are left out. */
  static of(checks: readonly Identified[], sums: Iterable<[string, UptimeSummary]>): SummaryTable {
    const table = new SummaryTable(checks, new Float64Array(checks.length * WIDTH).fill(Number.NaN));
    table.addAll(sums);
    return table;
  }

  /** Every one of `checks` with an empty summary, to add into. */
  static zeros(checks: readonly Identified[]): SummaryTable {
    return new SummaryTable(checks, new Float64Array(checks.length * WIDTH));
  }

  /**
   * Adds each summary of `sums` to its check's (ids not among the checks are left out); a check without a summary
   * yet gets this one. A table of the same checks is added row by row, without an object per check.
   */
  addAll(sums: Iterable<[string, UptimeSummary]>): void {
    const values = this.#values;
    if (sums instanceof SummaryTable && sums.#checks === this.#checks) {
      const other = sums.#values;
      for (let at = 0; at < values.length; at += WIDTH) {
        if (Number.isNaN(other[at])) continue;
        if (Number.isNaN(values[at])) values.fill(0, at, at + WIDTH);
        for (let field = at; field < at + WIDTH; field++) values[field]! += other[field]!;
      }
      return;
    }
    for (const [id, summary] of sums) {
      const row = this.#rows.get(id);
      if (row === undefined) continue;
      const at = row * WIDTH;
      if (Number.isNaN(values[at])) values.fill(0, at, at + WIDTH);
      add(values, at, summary);
    }
  }

  get(checkId: string): UptimeSummary | undefined {
    const row = this.#rows.get(checkId);
    return row === undefined ? undefined : this.#summary(row);
  }

  *[Symbol.iterator](): Iterator<[string, UptimeSummary]> {
    for (let row = 0; row < this.#checks.length; row++) {
      const summary = this.#summary(row);
      if (summary) yield [this.#checks[row]!.id, summary];
    }
  }

  #summary(row: number): UptimeSummary | undefined {
    const at = row * WIDTH;
    const values = this.#values;
    if (Number.isNaN(values[at])) return undefined;
    return {
      upMs: values[at]!,
      degradedMs: values[at + 1]!,
      downMs: values[at + 2]!,
      maintenanceMs: values[at + 3]!,
      unknownMs: values[at + 4]!,
      checksTotal: values[at + 5]!,
      checksSuccess: values[at + 6]!,
      checksFailed: values[at + 7]!,
    };
  }
}

function add(values: Float64Array, at: number, summary: UptimeSummary): void {
  values[at]! += summary.upMs;
  values[at + 1]! += summary.degradedMs;
  values[at + 2]! += summary.downMs;
  values[at + 3]! += summary.maintenanceMs;
  values[at + 4]! += summary.unknownMs;
  values[at + 5]! += summary.checksTotal;
  values[at + 6]! += summary.checksSuccess;
  values[at + 7]! += summary.checksFailed;
}
