// The status page's uptime figures (each component's SLA per window, its daily bars) as of one moment, shared by
// every request for a few seconds instead of being put together again per request: with a thousand checks that is
// tens of milliseconds of arithmetic over the SLA engine's cached sums, for figures that move by a hundredth of a
// percent in an hour.
//
// A snapshot is at most FIGURES_MAX_AGE_MS old (README, "Status page"), and is taken afresh at once when the
// configuration is reloaded or a new UTC day begins (a new bar). What a visitor reads first (each check's state and
// message, open incidents) is not part of it: the page reads those live on every request.

import { DAY_MS } from '../sla/rollup.js';
import type { SlaWindow } from '../model/sla-window.js';
import type { ComponentUptime, DailyUptime } from './status-source.js';

export const FIGURES_MAX_AGE_MS = 10_000;

/** What the figures are computed from at a given moment (SlaService fits). */
export interface FigureSource {
  componentReports(window: SlaWindow, now: number): Promise<ReadonlyMap<string, ComponentUptime>>;
  dailyUptime(checkIds: readonly string[], days: number, now: number): Promise<DailyUptime[]>;
}

interface Snapshot {
  at: number;
  /** The configuration the figures were computed under (compared by identity: a reload makes a new one). */
  basis: unknown;
  uptime: Map<SlaWindow, Promise<ReadonlyMap<string, ComponentUptime>>>;
  daily: Map<string, Promise<DailyUptime[]>>;
}

export class StatusFigures {
  readonly #source: FigureSource;
  readonly #basis: () => unknown;
  readonly #now: () => number;
  #snapshot: Snapshot | undefined;

  constructor(source: FigureSource, options: { basis: () => unknown; now: () => number }) {
    this.#source = source;
    this.#basis = options.basis;
    this.#now = options.now;
  }

  componentUptime(window: SlaWindow): Promise<ReadonlyMap<string, ComponentUptime>> {
    const snapshot = this.#current();
    return kept(snapshot.uptime, window, () => this.#source.componentReports(window, snapshot.at));
  }

  dailyUptime(checkIds: readonly string[], days: number): Promise<DailyUptime[]> {
    const snapshot = this.#current();
    const key = `${days}:${checkIds.join('\n')}`;
    return kept(snapshot.daily, key, () => this.#source.dailyUptime(checkIds, days, snapshot.at));
  }

  /** When the figures in force were computed: changes whenever they may have. */
  computedAt(): number {
    return this.#current().at;
  }

  #current(): Snapshot {
    const now = this.#now();
    const basis = this.#basis();
    const last = this.#snapshot;
    const fresh =
      last !== undefined &&
      last.basis === basis &&
      now - last.at >= 0 &&
      now - last.at <= FIGURES_MAX_AGE_MS &&
      Math.floor(now / DAY_MS) === Math.floor(last.at / DAY_MS);
    if (fresh) return last;
    this.#snapshot = { at: now, basis, uptime: new Map(), daily: new Map() };
    return this.#snapshot;
  }
}

/** The entry of `key`, computed once; a failed computation is not kept, so the next request tries again. */
function kept<K, V>(entries: Map<K, Promise<V>>, key: K, compute: () => Promise<V>): Promise<V> {
  let value = entries.get(key);
  if (!value) {
    const computed = compute();
    entries.set(key, computed);
    computed.catch(() => {
      if (entries.get(key) === computed) entries.delete(key);
    });
    value = computed;
  }
  return value;
}
