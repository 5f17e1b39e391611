// The prober's /metrics: prom-client's registry for process and runtime metrics, followed by the per-check
// families rendered by CheckMetrics.

import { collectDefaultMetrics, Registry } from 'prom-client';
import type { SchedulerStats } from '../schedule/scheduler.js';
import type { CheckMetrics } from './check-metrics.js';
import { renderSchedulerMetrics } from './scheduler-metrics.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class ProberMetrics {
  readonly registry = new Registry();

  constructor(
    readonly checks: CheckMetrics,
    private readonly schedulerStats: () => SchedulerStats | undefined = () => undefined,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // These three are gauges named like counters; `promtool check metrics` rejects them, and nothing here needs them.
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
  }

  async render(): Promise<string> {
    return [...(await this.renderChunks())].join('');
  }

  /** The whole exposition text in chunks, the per-check families rendered as they are read (for streaming). */
  async renderChunks(): Promise<Iterable<string>> {
    const head = [await this.registry.metrics(), renderSchedulerMetrics(this.schedulerStats())];
    const checks = this.checks;
    return (function* () {
      yield* head;
      yield* checks.renderChunks();
    })();
  }
}
