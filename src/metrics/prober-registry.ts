// The prober's /metrics: prom-client's registry for process and runtime metrics, followed by the per-check
// families rendered by CheckMetrics.

import { Registry } from 'prom-client';
import type { SchedulerStats } from '../schedule/scheduler.js';
import type { CheckMetrics } from './check-metrics.js';
import { registerProcessMetrics } from './process-metrics.js';
import { renderSchedulerMetrics } from './scheduler-metrics.js';

export class ProberMetrics {
  readonly registry = new Registry();

  constructor(
    readonly checks: CheckMetrics,
    private readonly schedulerStats: () => SchedulerStats | undefined = () => undefined,
  ) {
    registerProcessMetrics(this.registry);
  }

  async render(): Promise<string> {
    return [...(await this.renderChunks())].join('');
  }

  /** The whole exposition text in chunks, the per-check families rendered as they are read (for streaming). */
  async renderChunks(): Promise<Iterable<string>> {
    const head = [
      await this.registry.metrics(),
      renderSchedulerMetrics(this.schedulerStats()),
      this.checks.outcomes.render(),
    ];
    const checks = this.checks;
    return (function* () {
      yield* head;
      yield* checks.renderChunks();
    })();
  }
}
