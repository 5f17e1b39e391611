// Scrape cost: /metrics of a prober with 1,000 and 10,000 checks, against a plain string join of the same text in
// the same process. Before each render of the prober's, half of the checks get a new result (30 s checks scraped
// every 15 s).
// Measured in this process: the time to render the per-check text (CheckMetrics) and the whole exposition
// (ProberMetrics, prom-client's process metrics included), and the time and bytes of GET /metrics from the prober's
// express app, plain and with gzip. The baseline renders every line afresh from plain numbers with each check's label
// string cached and joins them (and serves that from a bare node:http server, gzip level 1 as the prober uses);
// its text is checked to be byte for byte the prober's.
//
//   npm run build && node bench/scrape.mjs [--quick]

import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pino } from 'pino';
import { request } from 'undici';
import { makeChecks, random } from './lib/synthetic-checks.mjs';
import { fmt, goal, median, parseFlags } from './lib/common.mjs';

const { CheckMetrics, LATENCY_BUCKETS_SECONDS } = await import('../dist/metrics/check-metrics.js');
const { SLA_WINDOW_NAMES: SLA_WINDOWS } = await import('../dist/model/sla-window.js');
const { ProberMetrics } = await import('../dist/metrics/prober-registry.js');
const { createProberApp } = await import('../dist/http/prober/app.js');

const gzipAsync = promisify(gzip);
const { quick } = parseFlags();
const SIZES = quick ? [100, 1_000] : [1_000, 10_000];
const ROUNDS = quick ? 5 : 9;
const PHASES = ['dns', 'connect', 'processing', 'transfer'];

// ---- the baseline: plain numbers per check, every line rendered afresh and joined ----

function baselineRecord(check) {
  const escape = (value) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return {
    labels: `check="${escape(check.id)}",name="${escape(check.name)}",group="${escape(check.group)}",component="${escape(check.component)}",service="${escape(check.service)}"`,
    status: 3,
    duration: undefined,
    phases: {},
    buckets: LATENCY_BUCKETS_SECONDS.map(() => 0),
    sum: 0,
    count: 0,
    /** [finished at (ms), seconds] of the probes, for the quantiles of the last 5 minutes. */
    recent: [],
    intervalSeconds: check.intervalMs / 1000,
    httpStatus: undefined,
    healthy: 0,
    lastRun: undefined,
    sla: {},
    slaTarget: 99.9,
    thresholds: [
      ['target', check.performance.targetMs / 1000],
      ['warn', check.performance.warnMs / 1000],
      ['critical', check.performance.criticalMs / 1000],
    ],
  };
}

function baselineObserve(record, result) {
  const seconds = result.durationMs / 1000;
  record.status = 0;
  record.duration = seconds;
  record.phases = Object.fromEntries(Object.entries(result.phases).map(([phase, ms]) => [phase, ms / 1000]));
  LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
    if (seconds <= bound) record.buckets[i]++;
  });
  record.sum += seconds;
  record.count++;
  record.recent.push([result.finishedAt, seconds]);
  record.httpStatus = result.httpStatus;
  record.healthy++;
  record.lastRun = result.finishedAt / 1000;
}

const HELP = {
  uptime_check_status: ['gauge', 'Check status: 0 healthy, 1 degraded, 2 down, 3 unknown.'],
  uptime_check_success: ['gauge', 'Whether the last probe succeeded (healthy or degraded).'],
  uptime_check_duration_seconds: ['gauge', 'Duration of the last probe.'],
  uptime_check_phase_duration_seconds: ['gauge', 'Duration of the last probe by phase.'],
  uptime_check_latency_seconds: ['histogram', 'Probe durations.'],
  uptime_check_latency_recent_seconds: [
    'summary',
    'Probe duration quantiles over the last 5 minutes (nearest rank); NaN without a probe in them.',
  ],
  uptime_check_threshold_seconds: ['gauge', 'Configured latency thresholds by level.'],
  uptime_check_http_status_code: ['gauge', 'HTTP status code of the last response.'],
  uptime_check_tls_cert_expiry_timestamp_seconds: [
    'gauge',
    'Earliest expiry of the certificates presented, Unix time.',
  ],
  uptime_checks_total: ['counter', 'Probes run, by result.'],
  uptime_check_last_run_timestamp_seconds: ['gauge', 'When the last probe finished, Unix time.'],
  uptime_check_interval_seconds: [
    'gauge',
    'How often the check is probed (push checks: how often the job must ping), seconds.',
  ],
  uptime_push_last_heard_timestamp_seconds: [
    'gauge',
    'Push checks: when the job last pinged (or pushed a result), Unix time.',
  ],
  uptime_check_in_maintenance: ['gauge', 'Whether the check is inside a maintenance window now (1) or not (0).'],
  uptime_sla_percent: ['gauge', 'Time-weighted uptime percent by window, maintenance excluded; NaN without data.'],
  uptime_sla_target_percent: ['gauge', 'The SLA target of the check.'],
};

function baselineRender(records) {
  const out = [];
  const header = (name) => out.push(`# HELP ${name} ${HELP[name][1]}\n# TYPE ${name} ${HELP[name][0]}\n`);
  const each = (name, line) => {
    header(name);
    for (const r of records) line(r);
  };
  const num = (value) => (Number.isNaN(value) ? 'NaN' : String(value));
  each('uptime_check_status', (r) => out.push(`uptime_check_status{${r.labels}} ${r.status}\n`));
  each('uptime_check_success', (r) => out.push(`uptime_check_success{${r.labels}} ${r.status <= 1 ? 1 : 0}\n`));
  each('uptime_check_duration_seconds', (r) => {
    if (r.duration !== undefined) out.push(`uptime_check_duration_seconds{${r.labels}} ${r.duration}\n`);
  });
  each('uptime_check_phase_duration_seconds', (r) => {
    for (const phase of ['dns', 'connect', 'tls', 'processing', 'transfer']) {
      if (r.phases[phase] !== undefined)
        out.push(`uptime_check_phase_duration_seconds{${r.labels},phase="${phase}"} ${r.phases[phase]}\n`);
    }
  });
  each('uptime_check_latency_seconds', (r) => {
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) =>
      out.push(`uptime_check_latency_seconds_bucket{${r.labels},le="${bound}"} ${r.buckets[i]}\n`),
    );
    out.push(`uptime_check_latency_seconds_bucket{${r.labels},le="+Inf"} ${r.count}\n`);
    out.push(`uptime_check_latency_seconds_sum{${r.labels}} ${r.sum}\n`);
    out.push(`uptime_check_latency_seconds_count{${r.labels}} ${r.count}\n`);
  });
  const windowStart = Date.now() - 5 * 60_000;
  each('uptime_check_latency_recent_seconds', (r) => {
    const sorted = r.recent
      .filter(([at]) => at >= windowStart)
      .map(([, seconds]) => seconds)
      .sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const value = sorted.length === 0 ? NaN : sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
      out.push(`uptime_check_latency_recent_seconds{${r.labels},quantile="${q}"} ${num(value)}\n`);
    }
  });
  each('uptime_check_threshold_seconds', (r) => {
    for (const [level, seconds] of r.thresholds)
      out.push(`uptime_check_threshold_seconds{${r.labels},level="${level}"} ${seconds}\n`);
  });
  each('uptime_check_http_status_code', (r) => {
    if (r.httpStatus !== undefined) out.push(`uptime_check_http_status_code{${r.labels}} ${r.httpStatus}\n`);
  });
  header('uptime_check_tls_cert_expiry_timestamp_seconds');
  each('uptime_checks_total', (r) => {
    out.push(`uptime_checks_total{${r.labels},result="healthy"} ${r.healthy}\n`);
    for (const result of ['degraded', 'down', 'timeout'])
      out.push(`uptime_checks_total{${r.labels},result="${result}"} 0\n`);
  });
  each('uptime_check_last_run_timestamp_seconds', (r) => {
    if (r.lastRun !== undefined) out.push(`uptime_check_last_run_timestamp_seconds{${r.labels}} ${r.lastRun}\n`);
  });
  each('uptime_check_interval_seconds', (r) =>
    out.push(`uptime_check_interval_seconds{${r.labels}} ${r.intervalSeconds}\n`),
  );
  header('uptime_push_last_heard_timestamp_seconds');
  each('uptime_check_in_maintenance', (r) => out.push(`uptime_check_in_maintenance{${r.labels}} 0\n`));
  each('uptime_sla_percent', (r) => {
    for (const window of SLA_WINDOWS)
      out.push(`uptime_sla_percent{${r.labels},window="${window}"} ${num(r.sla[window] ?? NaN)}\n`);
  });
  each('uptime_sla_target_percent', (r) => out.push(`uptime_sla_target_percent{${r.labels}} ${r.slaTarget}\n`));
  return out.join('');
}

// ---- servers ----

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function proberApp(metrics) {
  const view = {
    metricsChunks: () => metrics.renderChunks(),
    isReady: () => true,
    reload: async () => ({ ok: true, problems: [] }),
    checks: () => [],
    latest: () => undefined,
    status: () => 'unknown',
  };
  return listen(createProberApp(view, pino({ level: 'silent' })));
}

function bareServer(records) {
  return listen(async (req, res) => {
    const text = baselineRender(records);
    res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      res.setHeader('content-encoding', 'gzip');
      res.end(await gzipAsync(text, { level: 1 }));
      return;
    }
    res.end(text);
  });
}

/** Milliseconds until the whole body of GET /metrics is in, and its bytes as sent. */
async function get(url, compressed) {
  const started = performance.now();
  const { statusCode, body } = await request(`${url}/metrics`, {
    headers: compressed ? { 'accept-encoding': 'gzip' } : {},
  });
  const bytes = (await body.arrayBuffer()).byteLength;
  if (statusCode !== 200) throw new Error(`GET ${url}/metrics answered ${statusCode}`);
  return { ms: performance.now() - started, bytes };
}

async function time(work) {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

// ---- one size ----

async function measure(size) {
  const checks = makeChecks(size);
  const checkMetrics = new CheckMetrics();
  checkMetrics.setChecks(checks, 99.9);
  const proberMetrics = new ProberMetrics(checkMetrics);
  const records = checks.map(baselineRecord);
  const next = random(size);
  // Results finish from a minute ago on, a millisecond apart: all of a run's stay within the last 5 minutes, whose
  // quantiles the exposition carries.
  let clock = Date.now() - 60_000;
  const observe = (i) => {
    const ms = () => Math.round(next() * 1e9) / 1e6;
    const phases = Object.fromEntries(PHASES.map((phase) => [phase, ms() / 50]));
    clock += 1;
    const result = {
      checkId: checks[i].id,
      status: 'healthy',
      message: 'HTTP 200',
      startedAt: clock - 100,
      finishedAt: clock,
      durationMs: 20 + ms() / 10,
      phases,
      consecutiveFailures: 0,
      httpStatus: 200,
    };
    checkMetrics.observe(result);
    baselineObserve(records[i], result);
  };
  for (let i = 0; i < size; i++) observe(i);
  const sla = { '24h': 100, '7d': 99.99, '30d': 99.95, '90d': 99.9, '365d': 99.87 };
  for (let i = 0; i < size; i++) {
    checkMetrics.setSla(checks[i].id, { percent: sla, targetPercent: 99.9 });
    records[i].sla = sla;
  }
  checkMetrics.render(); // the first scrape after a start renders every check

  const vigil = await proberApp(proberMetrics);
  const bare = await bareServer(records);
  const samples = { checks: [], whole: [], join: [], vigilPlain: [], vigilGzip: [], barePlain: [], bareGzip: [] };
  let bytes;
  let changes = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Before every render of the prober's, half of the checks change (the other half than the time before).
      const change = () => {
        for (let i = changes++ % 2; i < size; i += 2) observe(i);
      };
      change();
      const own = await time(() => checkMetrics.render());
      const join = await time(() => baselineRender(records));
      if (own.value !== join.value)
        throw new Error(`the baseline text differs from the prober's at ${size} checks, round ${round}`);
      samples.checks.push(own.ms);
      samples.join.push(join.ms);
      change();
      samples.whole.push((await time(() => proberMetrics.render())).ms);
      change();
      const vigilPlain = await get(vigil.url, false);
      change();
      const vigilGzip = await get(vigil.url, true);
      const barePlain = await get(bare.url, false);
      const bareGzip = await get(bare.url, true);
      samples.vigilPlain.push(vigilPlain.ms);
      samples.vigilGzip.push(vigilGzip.ms);
      samples.barePlain.push(barePlain.ms);
      samples.bareGzip.push(bareGzip.ms);
      bytes = {
        vigilPlain: vigilPlain.bytes,
        vigilGzip: vigilGzip.bytes,
        barePlain: barePlain.bytes,
        bareGzip: bareGzip.bytes,
      };
    }
  } finally {
    await vigil.close();
    await bare.close();
  }
  return { size, bytes, ...Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, median(list)])) };
}

console.log(`scrape: median of ${ROUNDS} scrapes, half of the checks changed before each${quick ? ' (--quick)' : ''}`);
let last;
for (const size of SIZES) {
  last = await measure(size);
  const m = last;
  const mb = (value) => fmt.mb(value / 2 ** 20);
  console.log(`  ${fmt.int(size)} checks:`);
  console.log(
    `    render per-check text: vigil ${fmt.ms(m.checks)}, plain join ${fmt.ms(m.join)} (ratio ${(m.checks / m.join).toFixed(2)}x); whole exposition ${fmt.ms(m.whole)}`,
  );
  console.log(
    `    GET /metrics plain: vigil ${fmt.ms(m.vigilPlain)}, ${mb(m.bytes.vigilPlain)}; join server ${fmt.ms(m.barePlain)}, ${mb(m.bytes.barePlain)}`,
  );
  console.log(
    `    GET /metrics gzip:  vigil ${fmt.ms(m.vigilGzip)}, ${mb(m.bytes.vigilGzip)}; join server ${fmt.ms(m.bareGzip)}, ${mb(m.bytes.bareGzip)}`,
  );
}
goal({
  name: `scrape ${fmt.int(last.size)} checks, GET /metrics with gzip`,
  figure: fmt.ms(last.vigilGzip),
  baseline: `join + gzip ${fmt.ms(last.bareGzip)}`,
  ratio: last.vigilGzip / last.bareGzip,
  target: '<= 2x the join',
  pass: last.vigilGzip <= 2 * last.bareGzip,
});
goal({
  name: `scrape ${fmt.int(last.size)} checks, render`,
  figure: fmt.ms(last.checks),
  baseline: `join ${fmt.ms(last.join)}`,
  ratio: last.checks / last.join,
  target: '<= 2x the join',
  pass: last.checks <= 2 * last.join,
});
