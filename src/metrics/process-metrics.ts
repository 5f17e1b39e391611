// Process and runtime metrics (prom-client's defaults) for either role's registry, less the ones
// `promtool check metrics` rejects.

import { collectDefaultMetrics, type Registry } from 'prom-client';

// Gauges named like counters; `promtool check metrics` rejects them, and nothing here needs them.
const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
}
