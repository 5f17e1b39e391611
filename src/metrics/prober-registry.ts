// The prober's /metrics: prom-client's registry for process and runtime metrics, followed by the per-check
// families rendered by CheckMetrics.

import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CheckMetrics } from './check-metrics.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class ProberMetrics {
  readonly registry = new Registry();

  constructor(readonly checks: CheckMetrics) {
    collectDefaultMetrics({ register: this.registry });
  }

  async render(): Promise<string> {
    return (await this.registry.metrics()) + this.checks.render();
  }
}
