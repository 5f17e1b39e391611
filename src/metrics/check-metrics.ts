// The per-check metric families of the prober (CONTRACT section 4), kept as plain numbers and rendered as text.
// A check's lines of each family are cached between scrapes and rebuilt only after the check changed (a probe
// result, new SLA figures, a reload): at 10,000 checks the text is ~50 MB, and rebuilding all of it for every
// scrape made ~700,000 short-lived strings whose garbage collection dominated the scrape (bench/RESULTS.md).

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
  /** The check's lines of each family in FAMILIES order; undefined after a change, until the next render. */
  lines?: string[];
  /** `uptime_check_in_maintenance` out of and inside maintenance; it depends on the time of the scrape. */
  maintenanceLines: readonly [string, string];
}

export interface SlaFigures {
  /** Uptime percent by window; a window without data is absent (rendered NaN). */
  percent: Partial<Record<SlaWindow, number>>;
  targetPercent: number;
}

interface Family {
  header: string;
  /** Appends the check's lines of this family to `out`; absent for the one family rendered live. */
  lines?: (s: CheckSeries, out: string[]) => void;
}

const MAINTENANCE = 'uptime_check_in_maintenance';
const LATENCY = 'uptime_check_latency_seconds';
const LATENCY_BOUNDS = [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'];

/** Every family in exposition order. */
const FAMILIES: readonly Family[] = [
  gauge('uptime_check_status', 'Check status: 0 healthy, 1 degraded, 2 down, 3 unknown.', (s, out) =>
    sample(out, 'uptime_check_status', s.labels, STATUS_VALUE[s.status]),
  ),
  gauge('uptime_check_success', 'Whether the last probe succeeded (healthy or degraded).', (s, out) =>
    sample(out, 'uptime_check_success', s.labels, s.status === 'healthy' || s.status === 'degraded' ? 1 : 0),
  ),
  gauge('uptime_check_duration_seconds', 'Duration of the last probe.', (s, out) =>
    sample(out, 'uptime_check_duration_seconds', s.labels, s.durationSeconds),
  ),
  gauge('uptime_check_phase_duration_seconds', 'Duration of the last probe by phase.', (s, out) => {
    for (const phase of PHASES) {
      const seconds = s.phases[phase];
      if (seconds !== undefined) sample(out, 'uptime_check_phase_duration_seconds', s.labels, seconds, 'phase', phase);
    }
  }),
  { header: familyHeader(LATENCY, 'histogram', 'Probe durations.'), lines: latencyLines },
  gauge('uptime_check_threshold_seconds', 'Configured latency thresholds by level.', thresholdLines),
  gauge('uptime_check_http_status_code', 'HTTP status code of the last response.', (s, out) => {
    if (s.httpStatus !== undefined) sample(out, 'uptime_check_http_status_code', s.labels, s.httpStatus);
  }),
  gauge('uptime_check_tls_cert_expiry_timestamp_seconds', 'Earliest expiry of the certificates presented, Unix time.', (s, out) => {
    if (s.certExpiresAt !== undefined) sample(out, 'uptime_check_tls_cert_expiry_timestamp_seconds', s.labels, s.certExpiresAt);
  }),
  {
    header: familyHeader('uptime_checks_total', 'counter', 'Probes run, by result.'),
    lines: (s, out) => {
      for (const result of RESULTS) sample(out, 'uptime_checks_total', s.labels, s.results[result], 'result', result);
    },
  },
  gauge('uptime_check_last_run_timestamp_seconds', 'When the last probe finished, Unix time.', (s, out) => {
    if (s.lastRunSeconds !== undefined) sample(out, 'uptime_check_last_run_timestamp_seconds', s.labels, s.lastRunSeconds);
  }),
  { header: familyHeader(MAINTENANCE, 'gauge', 'Whether the check is inside a maintenance window now (1) or not (0).') },
  gauge('uptime_sla_percent', 'Time-weighted uptime percent by window, maintenance excluded; NaN without data.', (s, out) => {
    for (const window of SLA_WINDOWS) sample(out, 'uptime_sla_percent', s.labels, s.sla[window] ?? NaN, 'window', window);
  }),
  gauge('uptime_sla_target_percent', 'The SLA target of the check.', (s, out) => sample(out, 'uptime_sla_target_percent', s.labels, s.slaTarget)),
];

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
        delete previous.lines;
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
        maintenanceLines: [`${MAINTENANCE}{${labels}} 0\n`, `${MAINTENANCE}{${labels}} 1\n`],
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
    delete series.lines;
  }

  setSla(checkId: string, figures: SlaFigures): void {
    const series = this.series.get(checkId);
    if (!series) return;
    series.sla = figures.percent;
    series.slaTarget = figures.targetPercent;
    delete series.lines;
  }

  render(): string {
    return this.renderParts().join('');
  }

  /** The exposition text in pieces, so a scrape can stream it without building one large string. */
  renderParts(): string[] {
    const all = [...this.series.values()];
    const cached = all.map((s) => (s.lines ??= renderLines(s)));
    const now = Date.now();
    const out: string[] = [];
    FAMILIES.forEach((family, index) => {
      out.push(family.header);
      if (!family.lines) {
        for (const s of all) out.push(s.maintenanceLines[this.inMaintenance(s.check.id, now) ? 1 : 0]);
        return;
      }
      for (const lines of cached) out.push(lines[index]!);
    });
    return out;
  }
}

/** The check's lines of every family; each is joined from its parts, so the cache holds flat strings, not ropes. */
function renderLines(s: CheckSeries): string[] {
  const parts: string[] = [];
  return FAMILIES.map((family) => {
    parts.length = 0;
    family.lines?.(s, parts);
    return parts.join('');
  });
}

function gauge(name: string, help: string, lines: (s: CheckSeries, out: string[]) => void): Family {
  return { header: familyHeader(name, 'gauge', help), lines };
}

function latencyLines(s: CheckSeries, out: string[]): void {
  for (let i = 0; i < LATENCY_BOUNDS.length; i++) {
    sample(out, `${LATENCY}_bucket`, s.labels, s.bucketCounts[i] ?? s.latencyCount, 'le', LATENCY_BOUNDS[i]!);
  }
  sample(out, `${LATENCY}_sum`, s.labels, s.latencySum);
  sample(out, `${LATENCY}_count`, s.labels, s.latencyCount);
}

function thresholdLines(s: CheckSeries, out: string[]): void {
  const { targetMs, warnMs, criticalMs } = s.check.performance;
  const levels: Array<[string, number | undefined]> = [
    ['target', targetMs],
    ['warn', warnMs],
    ['critical', criticalMs],
  ];
  for (const [level, ms] of levels) {
    if (ms !== undefined) sample(out, 'uptime_check_threshold_seconds', s.labels, ms / 1000, 'level', level);
  }
}

/** Appends one sample line in pieces: `name{labels[,extra="value"]} value`. */
function sample(out: string[], name: string, labels: string, value: number, extraName?: string, extraValue?: string): void {
  out.push(name, '{', labels);
  if (extraName !== undefined) out.push(',', extraName, '="', extraValue!, '"');
  out.push('} ', formatValue(value), '\n');
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
