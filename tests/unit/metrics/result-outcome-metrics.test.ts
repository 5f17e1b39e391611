import { describe, expect, it } from 'vitest';
import { ResultOutcomeMetrics } from '../../../src/metrics/result-outcome-metrics.js';

describe('ResultOutcomeMetrics', () => {
  it('counts results by status and reason, healthy ones with reason none', () => {
    const outcomes = new ResultOutcomeMetrics();
    outcomes.observe({ status: 'healthy' });
    outcomes.observe({ status: 'down', reason: 'connect' });
    outcomes.observe({ status: 'down', reason: 'connect' });
    outcomes.observe({ status: 'degraded', reason: 'slow' });
    expect(outcomes.render()).toBe(
      [
        '# HELP vigil_prober_results_total Probe results of every check by status and reason (none for a healthy result).',
        '# TYPE vigil_prober_results_total counter',
        'vigil_prober_results_total{status="healthy",reason="none"} 1',
        'vigil_prober_results_total{status="down",reason="connect"} 2',
        'vigil_prober_results_total{status="degraded",reason="slow"} 1',
        '',
      ].join('\n'),
    );
  });
});
