// The prober's own health as metrics: checks scheduled, probes in flight and queued, runs skipped because the
// previous one was still going, and how late probes start against their plan (the scheduler's lag histogram).

import type { SchedulerStats } from '../schedule/scheduler.js';
import { LAG_BOUNDS_MS } from '../schedule/scheduler.js';
import { familyHeader, formatValue } from './exposition.js';

export function renderSchedulerMetrics(stats: SchedulerStats | undefined): string {
  if (!stats) return '';
  const out: string[] = [];
  const single = (name: string, type: 'gauge' | 'counter', help: string, value: number): void => {
    out.push(familyHeader(name, type, help), `${name} ${formatValue(value)}\n`);
  };
  single('vigil_prober_checks', 'gauge', 'Checks scheduled (enabled).', stats.checks);
  single('vigil_prober_probes_in_flight', 'gauge', 'Probes running now.', stats.inFlight);
  single('vigil_prober_probes_queued', 'gauge', 'Probes due and waiting for a concurrency slot.', stats.queued);
  single('vigil_prober_probes_started_total', 'counter', 'Probes started.', stats.started);
  single(
    'vigil_prober_runs_skipped_total',
    'counter',
    'Runs skipped because the previous run of the check was not done.',
    stats.skipped,
  );
  const name = 'vigil_prober_start_lag_seconds';
  out.push(familyHeader(name, 'histogram', 'How late probes started against their planned time.'));
  let cumulative = 0;
  LAG_BOUNDS_MS.forEach((bound, index) => {
    cumulative += stats.lag.counts[index] ?? 0;
    const le = bound === Infinity ? '+Inf' : String(bound / 1000);
    out.push(`${name}_bucket{le="${le}"} ${cumulative}\n`);
  });
  out.push(`${name}_sum ${formatValue(stats.lag.sumMs / 1000)}\n`, `${name}_count ${cumulative}\n`);
  return out.join('');
}
