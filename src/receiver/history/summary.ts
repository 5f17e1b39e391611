// GET /api/v1/alerts/summary: how many alerts there are in each state, what is open by severity and by type
// (alertname), how many are muted, and the newest few. Pure over the store's counts.

import { ALERT_STATES, type AlertState, isOpen } from '../../model/alert.js';
import type { AlertCount } from '../../store/alert-store.js';

export interface AlertSummaryCounts {
  total: number;
  open: number;
  by_state: Record<AlertState, number>;
  /** Open alerts only. */
  by_severity: Record<string, number>;
  /** Open alerts only, by alertname. */
  by_type: Record<string, number>;
  /** Open alerts that are suppressed. */
  muted: number;
}

const add = (counts: Map<string, number>, key: string, count: number): void => {
  counts.set(key, (counts.get(key) ?? 0) + count);
};

/** Records keyed by untrusted names, built without touching Object.prototype (a label may be `__proto__`). */
function toRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function summarize(counts: readonly AlertCount[]): AlertSummaryCounts {
  const byState = Object.fromEntries(ALERT_STATES.map((state) => [state, 0])) as Record<AlertState, number>;
  const bySeverity = new Map<string, number>();
  const byType = new Map<string, number>();
  let total = 0;
  for (const { state, severity, alertname, count } of counts) {
    total += count;
    byState[state] += count;
    if (!isOpen(state)) continue;
    add(bySeverity, severity === '' ? 'none' : severity, count);
    add(byType, alertname === '' ? 'none' : alertname, count);
  }
  return {
    total,
    open: byState.active + byState.acknowledged + byState.suppressed,
    by_state: byState,
    by_severity: toRecord(bySeverity),
    by_type: toRecord(byType),
    muted: byState.suppressed,
  };
}
