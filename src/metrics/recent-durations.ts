// One check's probe durations of the last few minutes, for the latency quantiles the prober exposes beside its
// histogram (`uptime_check_latency_recent_seconds`). The prober knows every duration exactly, so it can give each
// check's p50/p95/p99 over the last 5 minutes as three samples; the same figures from the histogram cost Prometheus
// every bucket series of every check at each evaluation (14 per check: over a second per evaluation at 10,000
// checks in Prometheus 2.42 on two cores).
//
// Quantiles are nearest-rank: the smallest duration with at least that share of the window's probes at or below
// it. So the p95 passes a threshold only when more than 5 % of the probes did.

/** How far back a quantile looks. */
export const RECENT_WINDOW_MS = 5 * 60_000;

export class RecentDurations {
  /** Finish times (Unix ms) and durations (s), oldest first; `first` is the oldest entry still in the window. */
  readonly #at: number[] = [];
  readonly #seconds: number[] = [];
  #first = 0;

  add(finishedAt: number, seconds: number): void {
    this.#forget(finishedAt - RECENT_WINDOW_MS);
    this.#at.push(finishedAt);
    this.#seconds.push(seconds);
  }

  /**
   * Per quantile asked (0-1), the duration over the window ending at `now`; NaN for each when no probe
   * finished in it, as a summary without observations shows.
   */
  quantiles(now: number, qs: readonly number[]): number[] {
    const cutoff = now - RECENT_WINDOW_MS;
    this.#forget(cutoff);
    // Probes of one check finish in order, nearly always: the filter only guards against one that did not.
    const inWindow: number[] = [];
    for (let i = this.#first; i < this.#at.length; i++) if (this.#at[i]! >= cutoff) inWindow.push(this.#seconds[i]!);
    const count = inWindow.length;
    if (count === 0) return qs.map(() => Number.NaN);
    const sorted = Float64Array.from(inWindow).sort();
    return qs.map((q) => sorted[Math.min(count, Math.max(1, Math.ceil(q * count))) - 1]!);
  }

  /** Drops the entries that finished before `cutoff`; compacts once the dropped ones are half of the arrays. */
  #forget(cutoff: number): void {
    while (this.#first < this.#at.length && this.#at[this.#first]! < cutoff) this.#first++;
    if (this.#first > 0 && this.#first * 2 >= this.#at.length) {
      this.#at.splice(0, this.#first);
      this.#seconds.splice(0, this.#first);
      this.#first = 0;
    }
  }
}
