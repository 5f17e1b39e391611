import { describe, expect, it } from 'vitest';
import { CheckMetrics } from '../../../src/metrics/check-metrics.js';
import type { CheckResult } from '../../../src/model/result.js';
import { httpCheck, tcpCheck } from '../../helpers/checks.js';

function result(checkId: string, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    checkId,
    status: 'healthy',
    message: 'ok',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_000_120,
    durationMs: 120,
    phases: { dns: 1, connect: 2, processing: 100, transfer: 17 },
    consecutiveFailures: 0,
    ...extra,
  };
}

const api = httpCheck('http://x/', {
  id: 'api',
  name: 'API "root"\\',
  group: 'critical',
  component: 'backend',
  service: 'api',
  performance: { targetMs: 100, warnMs: 300 },
});

describe('CheckMetrics', () => {
  it('renders every family with the five identity labels, escaped', () => {
    const metrics = new CheckMetrics();
    metrics.setChecks([api], 99.9);
    metrics.observe(result('api', { httpStatus: 200 }));
    const text = metrics.render();
    const labels = 'check="api",name="API \\"root\\"\\\\",group="critical",component="backend",service="api"';
    expect(text).toContain(`uptime_check_status{${labels}} 0\n`);
    expect(text).toContain(`uptime_check_success{${labels}} 1\n`);
    expect(text).toContain(`uptime_check_duration_seconds{${labels}} 0.12\n`);
    expect(text).toContain(`uptime_check_phase_duration_seconds{${labels},phase="processing"} 0.1\n`);
    expect(text).toContain(`uptime_check_latency_seconds_bucket{${labels},le="0.1"} 0\n`);
    expect(text).toContain(`uptime_check_latency_seconds_bucket{${labels},le="0.25"} 1\n`);
    expect(text).toContain(`uptime_check_latency_seconds_bucket{${labels},le="+Inf"} 1\n`);
    expect(text).toContain(`uptime_check_latency_seconds_count{${labels}} 1\n`);
    expect(text).toContain(`uptime_check_threshold_seconds{${labels},level="warn"} 0.3\n`);
    expect(text).not.toContain('level="critical"');
    expect(text).toContain(`uptime_check_http_status_code{${labels}} 200\n`);
    expect(text).toContain(`uptime_checks_total{${labels},result="healthy"} 1\n`);
    expect(text).toContain(`uptime_checks_total{${labels},result="timeout"} 0\n`);
    expect(text).toContain(`uptime_check_last_run_timestamp_seconds{${labels}} 1700000000.12\n`);
    expect(text).toContain(`uptime_check_interval_seconds{${labels}} ${api.intervalMs / 1000}\n`);
    expect(text).toContain(`uptime_sla_percent{${labels},window="30d"} NaN\n`);
    expect(text).toContain(`uptime_sla_target_percent{${labels}} 99.9\n`);
  });

  it('shows the p50, p95 and p99 of the last 5 minutes of probes, NaN before any', () => {
    const metrics = new CheckMetrics();
    metrics.setChecks([api], 99.9);
    const labels = 'check="api",name="API \\"root\\"\\\\",group="critical",component="backend",service="api"';
    expect(metrics.render()).toContain(`uptime_check_latency_recent_seconds{${labels},quantile="0.95"} NaN\n`);
    const now = Date.now();
    // 20 probes in the last 5 minutes, two of them slow; one slow probe from before the window.
    metrics.observe(result('api', { finishedAt: now - 400_000, durationMs: 9_000 }));
    for (let i = 0; i < 20; i++) {
      metrics.observe(result('api', { finishedAt: now - (20 - i) * 10_000, durationMs: i < 2 ? 2_000 : 120 }));
    }
    const text = metrics.render();
    expect(text).toContain('# TYPE uptime_check_latency_recent_seconds summary\n');
    expect(text).toContain(`uptime_check_latency_recent_seconds{${labels},quantile="0.5"} 0.12\n`);
    expect(text).toContain(`uptime_check_latency_recent_seconds{${labels},quantile="0.95"} 2\n`);
    expect(text).toContain(`uptime_check_latency_recent_seconds{${labels},quantile="0.99"} 2\n`);
  });

  it('counts failures by result, timeouts apart', () => {
    const metrics = new CheckMetrics();
    metrics.setChecks([api], 99.9);
    metrics.observe(result('api', { status: 'down', reason: 'timeout', consecutiveFailures: 1 }));
    metrics.observe(result('api', { status: 'down', reason: 'status_code', consecutiveFailures: 2 }));
    metrics.observe(result('api', { status: 'degraded', reason: 'slow' }));
    const text = metrics.render();
    expect(text).toMatch(/uptime_checks_total\{[^}]*result="timeout"\} 1\n/);
    expect(text).toMatch(/uptime_checks_total\{[^}]*result="down"\} 1\n/);
    expect(text).toMatch(/uptime_checks_total\{[^}]*result="degraded"\} 1\n/);
    expect(text).toMatch(/uptime_check_status\{[^}]*\} 1\n/);
  });

  it('shows unknown before the first probe and drops a check removed by a reload', () => {
    const metrics = new CheckMetrics();
    const port = tcpCheck('127.0.0.1', 1, { id: 'port' });
    metrics.setChecks([api, port], 99.9);
    const before = metrics.render();
    expect(before).toMatch(/uptime_check_status\{check="port"[^}]*\} 3\n/);
    expect(before).not.toMatch(/uptime_check_duration_seconds\{check="port"/);
    expect(before).not.toMatch(/uptime_check_last_run_timestamp_seconds\{check="port"/);
    metrics.observe(result('api'));
    metrics.setChecks([api], 99.9);
    const text = metrics.render();
    expect(text).not.toContain('check="port"');
    expect(text).toMatch(/uptime_checks_total\{check="api"[^}]*result="healthy"\} 1\n/);
  });
});
