// Probe results across every check by status and reason, `vigil_prober_results_total{status,reason}`: what is
// failing, and why, without reading a per-check series of each of 10,000 checks. Statuses and reasons are closed
// sets, so the family stays small whatever the checks.

import type { CheckResult } from '../model/result.js';
import { familyHeader, formatValue, labelPairs } from './exposition.js';

const NAME = 'vigil_prober_results_total';
const HELP = 'Probe results of every check by status and reason (none for a healthy result).';

export class ResultOutcomeMetrics {
  /** Counts by `status="…",reason="…"` label text, in first-seen order. */
  readonly #counts = new Map<string, number>();

  observe(result: Pick<CheckResult, 'status' | 'reason'>): void {
    const labels = labelPairs([
      ['status', result.status],
      ['reason', result.reason ?? 'none'],
    ]);
    this.#counts.set(labels, (this.#counts.get(labels) ?? 0) + 1);
  }

  render(): string {
    let text = familyHeader(NAME, 'counter', HELP);
    for (const [labels, count] of this.#counts) text += `${NAME}{${labels}} ${formatValue(count)}\n`;
    return text;
  }
}
