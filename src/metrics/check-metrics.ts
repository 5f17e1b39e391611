// The per-check metric families of the prober (CONTRACT section 4), kept as plain numbers and rendered as text
// while a scrape reads it, in chunks of about 64 KB. At 10,000 checks the text is 40-60 MB: only each check's
// label string is kept; lines are rendered afresh into the chunk being filled, so a scrape's garbage is a few
// chunks at a time and dies young. Caching each check's lines would render 40 % faster, but holds the whole text in
// the heap and every re-rendered line dies old: at 10,000 checks the prober's RSS was then twice its live heap
// (bench/RESULTS.md, "Why the code is as it is").

import type { CheckDefinition } from '../model/check.js';
import type { CheckResult, CheckStatus, Phase } from '../model/result.js';
import type { SlaFigures } from '../sla/sla-service.js';
import { SLA_WINDOW_NAMES, type SlaWindow } from '../model/sla-window.js';
import { familyHeader, formatValue, labelPairs } from './exposition.js';
import { RecentDurations } from './recent-durations.js';
import { ResultOutcomeMetrics } from './result-outcome-metrics.js';

export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

const STATUS_VALUE: Record<CheckStatus, number> = { healthy: 0, degraded: 1, down: 2, unknown: 3 };
const PHASES: readonly Phase[] = ['dns', 'connect', 'tls', 'processing', 'transfer'];
const RESULTS = ['healthy', 'degraded', 'down', 'timeout'] as const;
type ResultLabel = (typeof RESULTS)[number];

interface CheckSeries {
  check: CheckDefinition;
  labels: string;
  status: CheckStatus;
  /** Absent before the first probe, as the last run's timestamp is: a never-run check has no duration to show. */
  durationSeconds?: number;
  phases: Partial<Record<Phase, number>>;
  bucketCounts: number[];
  latencySum: number;
  latencyCount: number;
  recent: RecentDurations;
  httpStatus?: number;
  certExpiresAt?: number;
  results: Record<ResultLabel, number>;
  lastRunSeconds?: number;
  /** Push checks: when the job last pinged, Unix seconds. */
  lastHeardSeconds?: number;
  sla: Partial<Record<SlaWindow, number>>;
  slaTarget: number;
}

/** What a family's lines may depend on besides the check's own numbers. */
interface ScrapeContext {
  inMaintenance: (checkId: string) => boolean;
  /** The scrape's moment, Unix ms. */
  now: number;
}

interface Family {
  name: string;
  header: string;
  /** The check's lines of this family ('' for none); `name` is the family's. */
  lines: (s: CheckSeries, name: string, scrape: ScrapeContext) => string;
}

const CHUNK_CHARS = 64 * 1024;

const LATENCY = 'uptime_check_latency_seconds';
const LATENCY_BUCKET = `${LATENCY}_bucket`;
const LATENCY_SUM = `${LATENCY}_sum`;
const LATENCY_COUNT = `${LATENCY}_count`;
const LATENCY_BOUNDS = [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'];
/** What the alerts (p95) and the dashboards (p50, p99) read, without reading the histogram's buckets. */
const RECENT_QUANTILES = [0.5, 0.95, 0.99] as const;
const RECENT_QUANTILE_LABELS = RECENT_QUANTILES.map(String);

/** Every family in exposition order. */
const FAMILIES: readonly Family[] = [
  gauge('uptime_check_status', 'Check status: 0 healthy, 1 degraded, 2 down, 3 unknown.', (s, name) =>
    sample(name, s.labels, STATUS_VALUE[s.status]),
  ),
  gauge('uptime_check_success', 'Whether the last probe succeeded (healthy or degraded).', (s, name) =>
    sample(name, s.labels, s.status === 'healthy' || s.status === 'degraded' ? 1 : 0),
  ),
  optionalGauge('uptime_check_duration_seconds', 'Duration of the last probe.', (s) => s.durationSeconds),
  gauge('uptime_check_phase_duration_seconds', 'Duration of the last probe by phase.', (s, name) => {
    let lines = '';
    for (const phase of PHASES) {
      const seconds = s.phases[phase];
      if (seconds !== undefined) lines += sample(name, s.labels, seconds, 'phase', phase);
    }
    return lines;
  }),
  family(LATENCY, 'histogram', 'Probe durations.', latencyLines),
  family(
    'uptime_check_latency_recent_seconds',
    'summary',
    'Probe duration quantiles over the last 5 minutes (nearest rank); NaN without a probe in them.',
    recentLines,
  ),
  gauge('uptime_check_threshold_seconds', 'Configured latency thresholds by level.', thresholdLines),
  optionalGauge('uptime_check_http_status_code', 'HTTP status code of the last response.', (s) => s.httpStatus),
  optionalGauge(
    'uptime_check_tls_cert_expiry_timestamp_seconds',
    'Earliest expiry of the certificates presented, Unix time.',
    (s) => s.certExpiresAt,
  ),
  family('uptime_checks_total', 'counter', 'Probes run, by result.', (s, name) => {
    let lines = '';
    for (const result of RESULTS) lines += sample(name, s.labels, s.results[result], 'result', result);
    return lines;
  }),
  optionalGauge(
    'uptime_check_last_run_timestamp_seconds',
    'When the last probe finished, Unix time.',
    (s) => s.lastRunSeconds,
  ),
  gauge(
    'uptime_check_interval_seconds',
    'How often the check is probed (push checks: how often the job must ping), seconds.',
    (s, name) => sample(name, s.labels, s.check.intervalMs / 1000),
  ),
  optionalGauge(
    'uptime_push_last_heard_timestamp_seconds',
    'Push checks: when the job last pinged (or pushed a result), Unix time.',
    (s) => s.lastHeardSeconds,
  ),
  gauge(
    'uptime_check_in_maintenance',
    'Whether the check is inside a maintenance window now (1) or not (0).',
    (s, name, scrape) => sample(name, s.labels, scrape.inMaintenance(s.check.id) ? 1 : 0),
  ),
  gauge(
    'uptime_sla_percent',
    'Time-weighted uptime percent by window, maintenance excluded; NaN without data.',
    (s, name) => {
      let lines = '';
      for (const window of SLA_WINDOW_NAMES) lines += sample(name, s.labels, s.sla[window] ?? NaN, 'window', window);
      return lines;
    },
  ),
  gauge('uptime_sla_target_percent', 'The SLA target of the check.', (s, name) => sample(name, s.labels, s.slaTarget)),
];

export class CheckMetrics {
  private series = new Map<string, CheckSeries>();
  /** Every result by status and reason, whatever its check (rendered by ProberMetrics). */
  readonly outcomes = new ResultOutcomeMetrics();

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
        durationSeconds: undefined, // set, so every series has the field and all share one hidden class
        phases: {},
        bucketCounts: LATENCY_BUCKETS_SECONDS.map(() => 0),
        latencySum: 0,
        latencyCount: 0,
        recent: new RecentDurations(),
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
    this.outcomes.observe(result);
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
    series.recent.add(result.finishedAt, seconds);
    if (result.httpStatus !== undefined) series.httpStatus = result.httpStatus;
    if (result.certExpiresAt !== undefined) series.certExpiresAt = result.certExpiresAt;
    series.results[resultLabel(result)]++;
    series.lastRunSeconds = result.finishedAt / 1000;
  }

  /** A push check's job was last heard from at `at` (Unix ms). */
  setLastHeard(checkId: string, at: number): void {
    const series = this.series.get(checkId);
    if (series) series.lastHeardSeconds = at / 1000;
  }

  setSla(checkId: string, figures: SlaFigures): void {
    const series = this.series.get(checkId);
    if (!series) return;
    series.sla = figures.percent;
    series.slaTarget = figures.targetPercent;
  }

  render(): string {
    return [...this.renderChunks()].join('');
  }

  /**
   * The exposition text in chunks of about CHUNK_CHARS, each rendered when it is asked for. Each check's lines of a
   * family come from one moment; a result that lands between two chunks shows in the families rendered after it,
   * as with any client library that collects metric by metric.
   */
  *renderChunks(): Generator<string> {
    const all = [...this.series.values()];
    const now = Date.now();
    const scrape: ScrapeContext = { inMaintenance: (checkId) => this.inMaintenance(checkId, now), now };
    let chunk = '';
    for (const family of FAMILIES) {
      chunk += family.header;
      for (const s of all) {
        chunk += family.lines(s, family.name, scrape);
        if (chunk.length < CHUNK_CHARS) continue;
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
}

function family(
  name: string,
  type: 'gauge' | 'counter' | 'histogram' | 'summary',
  help: string,
  lines: Family['lines'],
): Family {
  return { name, header: familyHeader(name, type, help), lines };
}

function gauge(name: string, help: string, lines: Family['lines']): Family {
  return family(name, 'gauge', help, lines);
}

/** A gauge with no sample while `value` is undefined: no probe yet, no HTTP answer, no certificate. */
function optionalGauge(name: string, help: string, value: (s: CheckSeries) => number | undefined): Family {
  return gauge(name, help, (s, family) => {
    const found = value(s);
    return found === undefined ? '' : sample(family, s.labels, found);
  });
}

/** The histogram's samples carry suffixed names (LATENCY_BUCKET…), built once rather than per line. */
function latencyLines(s: CheckSeries): string {
  let lines = '';
  for (let i = 0; i < LATENCY_BOUNDS.length; i++) {
    lines += sample(LATENCY_BUCKET, s.labels, s.bucketCounts[i] ?? s.latencyCount, 'le', LATENCY_BOUNDS[i]);
  }
  return lines + sample(LATENCY_SUM, s.labels, s.latencySum) + sample(LATENCY_COUNT, s.labels, s.latencyCount);
}

function recentLines(s: CheckSeries, name: string, scrape: ScrapeContext): string {
  const values = s.recent.quantiles(scrape.now, RECENT_QUANTILES);
  let lines = '';
  for (let i = 0; i < values.length; i++)
    lines += sample(name, s.labels, values[i]!, 'quantile', RECENT_QUANTILE_LABELS[i]);
  return lines;
}

function thresholdLines(s: CheckSeries, name: string): string {
  const { targetMs, warnMs, criticalMs } = s.check.performance;
  const levels: Array<[string, number | undefined]> = [
    ['target', targetMs],
    ['warn', warnMs],
    ['critical', criticalMs],
  ];
  let lines = '';
  for (const [level, ms] of levels) {
    if (ms !== undefined) lines += sample(name, s.labels, ms / 1000, 'level', level);
  }
  return lines;
}

/** One sample line: `name{labels[,extra="value"]} value`. */
function sample(name: string, labels: string, value: number, extraName?: string, extraValue?: string): string {
  const extra = extraName === undefined ? '' : `,${extraName}="${extraValue!}"`;
  return `${name}{${labels}${extra}} ${formatValue(value)}\n`;
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
