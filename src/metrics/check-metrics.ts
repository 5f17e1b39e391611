// The per-check metric families of the prober (CONTRACT section 4), kept as plain numbers and rendered by a string
// join with each check's label string cached. prom-client renders 10,000 checks in ~490 ms and allocates a label
// object per sample; this renders the same families in a fraction of that (see bench/), and the probe thread is
// never blocked by it either way.

import type { CheckDefinition } from '../config/types.js';
import type { CheckResult, CheckStatus, Phase } from '../probe/types.js';
import { familyHeader, formatValue, labelPairs } from './exposition.js';

export const SLA_WINDOWS = ['24h', '7d', '30d', '90d', '365d'] as const;
export type SlaWindow = (typeof SLA_WINDOWS)[number];

export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

const STATUS_VALUE: Record<CheckStatus, number> = { healthy: 0, degraded: 1, down: 2, unknown: 3 };
const PHASES: readonly Phase[] = ['dns', 'connect', 'tls', 'processing', 'transfer'];
const RESULTS = ['healthy', 'degraded', 'down', 'timeout'] as const;
type ResultLabel = (typeof RESULTS)[number];

interface CheckSeries {
  check: CheckDefinition;
  labels: string;
  status: CheckStatus;
  durationSeconds: number;
  phases: Partial<Record<Phase, number>>;
  bucketCounts: number[];
  latencySum: number;
  latencyCount: number;
  httpStatus?: number;
  certExpiresAt?: number;
  results: Record<ResultLabel, number>;
  lastRunSeconds?: number;
  sla: Partial<Record<SlaWindow, number>>;
  slaTarget: number;
}

export interface SlaFigures {
  /** Uptime percent by window; a window without data is absent (rendered NaN). */
  percent: Partial<Record<SlaWindow, number>>;
  targetPercent: number;
}

export class CheckMetrics {
  private series = new Map<string, CheckSeries>();

  /** `inMaintenance(checkId, now)` answers whether a check is inside a maintenance window now. */
  constructor(private readonly inMaintenance: (checkId: string, now: number) => boolean = () => false) {}

  /** Replaces the set of checks; series of removed checks disappear, kept checks keep their counters. */
  setChecks(checks: readonly CheckDefinition[], defaultSlaTarget: number): void {
    const next = new Map<string, CheckSeries>();
    for (const check of checks) {
      const labels = baseLabels(check);
      const previous = this.series.get(check.id);
      if (previous && previous.labels === labels) {
        previous.check = check;
        next.set(check.id, previous);
        continue;
      }
      next.set(check.id, {
        check,
        labels,
        status: 'unknown',
        durationSeconds: 0,
        phases: {},
        bucketCounts: LATENCY_BUCKETS_SECONDS.map(() => 0),
        latencySum: 0,
        latencyCount: 0,
        results: { healthy: 0, degraded: 0, down: 0, timeout: 0 },
        sla: {},
        slaTarget: defaultSlaTarget,
      });
    }
    this.series = next;
  }

  observe(result: CheckResult): void {
    const series = this.series.get(result.checkId);
    if (!series) return;
    const seconds = result.durationMs / 1000;
    series.status = series.check.enabled ? result.status : 'unknown';
    series.durationSeconds = seconds;
    series.phases = {};
    for (const [phase, ms] of Object.entries(result.phases)) series.phases[phase as Phase] = ms / 1000;
    for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
      if (seconds <= LATENCY_BUCKETS_SECONDS[i]!) series.bucketCounts[i]!++;
    }
    series.latencySum += seconds;
    series.latencyCount++;
    if (result.httpStatus !== undefined) series.httpStatus = result.httpStatus;
    if (result.certExpiresAt !== undefined) series.certExpiresAt = result.certExpiresAt;
    series.results[resultLabel(result)]++;
    series.lastRunSeconds = result.finishedAt / 1000;
  }

  setSla(checkId: string, figures: SlaFigures): void {
    const series = this.series.get(checkId);
    if (!series) return;
    series.sla = figures.percent;
    series.slaTarget = figures.targetPercent;
  }

  /** The current status of every check, for the API. */
  statuses(): Map<string, CheckStatus> {
    return new Map([...this.series].map(([id, series]) => [id, series.status]));
  }

  render(): string {
    const all = [...this.series.values()];
    const out: string[] = [];
    const gauge = (name: string, help: string, line: (s: CheckSeries) => string): void => {
      out.push(familyHeader(name, 'gauge', help));
      for (const s of all) out.push(line(s));
    };

    gauge('uptime_check_status', 'Check status: 0 healthy, 1 degraded, 2 down, 3 unknown.', (s) =>
      sample('uptime_check_status', s.labels, STATUS_VALUE[s.status]),
    );
    gauge('uptime_check_success', 'Whether the last probe succeeded (healthy or degraded).', (s) =>
      sample('uptime_check_success', s.labels, s.status === 'healthy' || s.status === 'degraded' ? 1 : 0),
    );
    gauge('uptime_check_duration_seconds', 'Duration of the last probe.', (s) =>
      sample('uptime_check_duration_seconds', s.labels, s.durationSeconds),
    );
    gauge('uptime_check_phase_duration_seconds', 'Duration of the last probe by phase.', (s) =>
      PHASES.filter((phase) => s.phases[phase] !== undefined)
        .map((phase) => sample('uptime_check_phase_duration_seconds', `${s.labels},phase="${phase}"`, s.phases[phase]!))
        .join(''),
    );
    this.renderLatencyHistogram(out, all);
    gauge('uptime_check_threshold_seconds', 'Configured latency thresholds by level.', renderThresholds);
    gauge('uptime_check_http_status_code', 'HTTP status code of the last response.', (s) =>
      s.httpStatus === undefined ? '' : sample('uptime_check_http_status_code', s.labels, s.httpStatus),
    );
    gauge('uptime_check_tls_cert_expiry_timestamp_seconds', 'Earliest expiry of the certificates presented, Unix time.', (s) =>
      s.certExpiresAt === undefined ? '' : sample('uptime_check_tls_cert_expiry_timestamp_seconds', s.labels, s.certExpiresAt),
    );
    out.push(familyHeader('uptime_checks_total', 'counter', 'Probes run, by result.'));
    for (const s of all) {
      for (const result of RESULTS) out.push(sample('uptime_checks_total', `${s.labels},result="${result}"`, s.results[result]));
    }
    gauge('uptime_check_last_run_timestamp_seconds', 'When the last probe finished, Unix time.', (s) =>
      s.lastRunSeconds === undefined ? '' : sample('uptime_check_last_run_timestamp_seconds', s.labels, s.lastRunSeconds),
    );
    const now = Date.now();
    gauge('uptime_check_in_maintenance', 'Whether the check is inside a maintenance window now (1) or not (0).', (s) =>
      sample('uptime_check_in_maintenance', s.labels, this.inMaintenance(s.check.id, now) ? 1 : 0),
    );
    gauge('uptime_sla_percent', 'Time-weighted uptime percent by window, maintenance excluded; NaN without data.', (s) =>
      SLA_WINDOWS.map((window) => sample('uptime_sla_percent', `${s.labels},window="${window}"`, s.sla[window] ?? NaN)).join(''),
    );
    gauge('uptime_sla_target_percent', 'The SLA target of the check.', (s) =>
      sample('uptime_sla_target_percent', s.labels, s.slaTarget),
    );
    return out.join('');
  }

  private renderLatencyHistogram(out: string[], all: CheckSeries[]): void {
    const name = 'uptime_check_latency_seconds';
    out.push(familyHeader(name, 'histogram', 'Probe durations.'));
    for (const s of all) {
      for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
        out.push(sample(`${name}_bucket`, `${s.labels},le="${LATENCY_BUCKETS_SECONDS[i]}"`, s.bucketCounts[i]!));
      }
      out.push(sample(`${name}_bucket`, `${s.labels},le="+Inf"`, s.latencyCount));
      out.push(sample(`${name}_sum`, s.labels, s.latencySum));
      out.push(sample(`${name}_count`, s.labels, s.latencyCount));
    }
  }
}

function renderThresholds(s: CheckSeries): string {
  const { targetMs, warnMs, criticalMs } = s.check.performance;
  const levels: Array<[string, number | undefined]> = [
    ['target', targetMs],
    ['warn', warnMs],
    ['critical', criticalMs],
  ];
  return levels
    .filter(([, ms]) => ms !== undefined)
    .map(([level, ms]) => sample('uptime_check_threshold_seconds', `${s.labels},level="${level}"`, ms! / 1000))
    .join('');
}

function sample(name: string, labels: string, value: number): string {
  return `${name}{${labels}} ${formatValue(value)}\n`;
}

function baseLabels(check: CheckDefinition): string {
  return labelPairs([
    ['check', check.id],
    ['name', check.name],
    ['group', check.group],
    ['component', check.component],
    ['service', check.service],
  ]);
}

function resultLabel(result: CheckResult): ResultLabel {
  // A failed probe counts as a failure here even while the check waits for more failures before reporting down.
  if (result.consecutiveFailures > 0) return result.reason === 'timeout' ? 'timeout' : 'down';
  return result.status === 'degraded' ? 'degraded' : 'healthy';
}
