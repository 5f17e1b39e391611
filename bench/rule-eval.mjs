// Rule evaluation cost: a real Prometheus (from the PATH, as `vigil stack` runs it) scrapes the exposition of
// 10,000 checks and evaluates the repo's rules (prometheus/rules/*.yml); the figure is each rule group's evaluation
// time as Prometheus reports it itself, `prometheus_rule_group_last_duration_seconds`, the worst seen over several
// evaluations after a warm-up. Goal: under 1 s per group.
//
// The exposition is the prober's own: dist/metrics/check-metrics.js (what `vigil prober` serves) fed synthetic
// results, served from a bare HTTP server, so no probe runs. Before each scrape every check gets a new result, from
// a fleet where about 3 % of the checks are in trouble (see syntheticProber).
// The baseline, measured in the same Prometheus at the same moments, is a group with one rule that copies one
// series per check (`uptime_check_status`): what the plainest rule over every check costs.
//
// Prometheus holds only the minutes of this run: the 6h, 1d and 3d windows of the burn-rate groups read what exists,
// so those groups cost more after days of data than here (their subqueries step hourly, at most 72 points a series).
//
//   npm run build && node bench/rule-eval.mjs [--quick] [--checks N]

import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeChecks, random } from './lib/synthetic-checks.mjs';
import { fmt, freePort, goal, median, parseFlags, sleep, tempDir, waitFor } from './lib/common.mjs';

const { CheckMetrics } = await import('../dist/metrics/check-metrics.js');
const { rewritePrometheusConfig } = await import('../dist/stack/prometheus-config.js');
const { findStackBinaries } = await import('../dist/stack/binaries.js');
const { ServerProcess } = await import('../dist/stack/server-process.js');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { quick } = parseFlags();
const checksFlag = process.argv.indexOf('--checks');
const CHECKS = checksFlag > 0 ? Number(process.argv[checksFlag + 1]) : quick ? 200 : 10_000;
/**
 * Scrape and evaluation intervals: the shipped prometheus.yml's (scrape 15 s, evaluation 30 s), what a user runs;
 * --quick shortens both to 1 s. The checks' own interval is the scrape's, so every scrape sees new results.
 */
const shippedInterval = (key) =>
  Number(readFileSync(path.join(ROOT, 'prometheus', 'prometheus.yml'), 'utf8').match(new RegExp(`${key}: (\\d+)s`))[1]);
const INTERVAL_S = quick ? 1 : shippedInterval('scrape_interval');
const EVALUATION_S = quick ? 1 : shippedInterval('evaluation_interval');
const WARMUP_EVALUATIONS = quick ? 2 : 3;
const MEASURED_EVALUATIONS = quick ? 3 : 6;
const GOAL_SECONDS = 1;
const BASELINE_GROUP = 'bench-baseline';

/**
 * The prober's metrics for `count` checks, and a function that gives every check a new result. The fleet is in the
 * state a large one is in on a bad day, so the alerting rules carry a realistic number of active alerts: 1 % of the
 * checks down (ServiceDown, MultipleServicesDown, SLA alerts), 1 % slow (ServiceDegraded, HighResponseTime), 1 %
 * flapping (down in half their probes), 1 % in a maintenance window; the rest answer within their 200 ms target
 * and stay above their SLA warning level. Which checks are in which state is fixed for the run, as outages last
 * longer than a scrape; every probe still draws a new latency, so every series changes at every scrape.
 */
function syntheticProber(count) {
  const checks = makeChecks(count, INTERVAL_S * 1000);
  const metrics = new CheckMetrics((checkId) => Number(checkId.slice('check_'.length)) % 100 === 0);
  metrics.setChecks(checks, 99.9);
  const next = random(count);
  const stateOf = (index) =>
    index % 100 === 1 ? 'down' : index % 100 === 2 ? 'slow' : index % 100 === 3 ? 'flapping' : 'well';
  const probeAll = () => {
    const now = Date.now();
    checks.forEach((check, index) => {
      const state = stateOf(index);
      const status =
        state === 'down' || (state === 'flapping' && next() < 0.5) ? 'down' : state === 'slow' ? 'degraded' : 'healthy';
      const durationMs = status === 'degraded' ? 300 + next() * 400 : 5 + next() * 195;
      metrics.observe({
        checkId: check.id,
        status,
        ...(status === 'down' ? { reason: 'connect' } : status === 'degraded' ? { reason: 'slow' } : {}),
        message: status === 'down' ? 'connection refused' : 'HTTP 200',
        startedAt: now - durationMs,
        finishedAt: now,
        durationMs,
        phases: { connect: durationMs / 4, processing: durationMs / 2 },
        consecutiveFailures: status === 'down' ? 1 : 0,
        ...(status === 'down' ? {} : { httpStatus: 200 }),
      });
      const sla = state === 'down' ? 97 + next() : state === 'flapping' ? 99.6 + next() * 0.3 : 99.9 + next() * 0.1;
      metrics.setSla(check.id, {
        percent: { '24h': sla, '7d': sla, '30d': sla, '90d': NaN, '365d': NaN },
        targetPercent: 99.9,
      });
    });
  };
  return { metrics, probeAll };
}

async function serveMetrics(metrics) {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    const chunks = metrics.renderChunks();
    const pump = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        if (!response.write(next.value)) return response.once('drain', pump);
      }
      response.end();
    };
    pump();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** `group -> seconds` and `group -> evaluation timestamp` from Prometheus's own /metrics. */
async function ruleGroupFigures(prometheusUrl) {
  const text = await (await fetch(`${prometheusUrl}/metrics`)).text();
  const read = (metric) => {
    const values = new Map();
    for (const match of text.matchAll(new RegExp(`^${metric}\\{rule_group="[^"]*;([^"]+)"\\} (\\S+)$`, 'gm'))) {
      values.set(match[1], Number(match[2]));
    }
    return values;
  };
  return {
    duration: read('prometheus_rule_group_last_duration_seconds'),
    evaluatedAt: read('prometheus_rule_group_last_evaluation_timestamp_seconds'),
  };
}

async function instant(prometheusUrl, query) {
  const answer = await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)).json();
  return answer.data?.result?.[0]?.value?.[1];
}

const work = tempDir('rule-eval');
const { metrics, probeAll } = syntheticProber(CHECKS);
probeAll();
const target = await serveMetrics(metrics);
const feeder = setInterval(probeAll, INTERVAL_S * 1000);
let prometheus;
try {
  const binaries = findStackBinaries(process.env.PATH);
  const baselineFile = path.join(work.dir, 'baseline-rules.yml');
  writeFileSync(
    baselineFile,
    `groups:\n  - name: ${BASELINE_GROUP}\n    rules:\n      - record: bench:uptime_check_status:copy\n        expr: uptime_check_status\n`,
  );
  const prometheusDir = path.join(ROOT, 'prometheus');
  const config = rewritePrometheusConfig(readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8'), {
    sourceDir: prometheusDir,
    // Nothing listens at the receiver's and Alertmanager's addresses: only the rules are measured.
    targets: { prober: `127.0.0.1:${target.port}`, receiver: '127.0.0.1:9', alertmanager: '127.0.0.1:9' },
    timing: { scrapeInterval: `${INTERVAL_S}s`, evaluationInterval: `${EVALUATION_S}s` },
  }).replace(/^rule_files:\n/m, `rule_files:\n  - ${baselineFile}\n`);
  writeFileSync(path.join(work.dir, 'prometheus.yml'), config);
  mkdirSync(path.join(work.dir, 'data'));
  const port = await freePort();
  const prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = await ServerProcess.start({
    name: 'prometheus',
    binary: binaries.prometheus,
    args: [
      `--config.file=${path.join(work.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(work.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    url: prometheusUrl,
    logFile: path.join(work.dir, 'prometheus.log'),
    readyTimeoutMs: 60_000,
    stopTimeoutMs: 10_000,
  });

  await waitFor(
    'the first scrape of the checks',
    async () => Number(await instant(prometheusUrl, 'count(uptime_check_status)')) === CHECKS,
    INTERVAL_S * 4_000 + 30_000,
  );
  const scraped = await instant(prometheusUrl, 'scrape_samples_scraped{job="vigil-prober"}');
  const firstScrapeSeconds = await instant(prometheusUrl, 'scrape_duration_seconds{job="vigil-prober"}');
  console.log(
    `${fmt.int(CHECKS)} checks: ${fmt.int(Number(scraped))} samples a scrape, the first (which creates every series) ` +
      `scraped in ${fmt.ms(Number(firstScrapeSeconds) * 1000)}; scrape every ${INTERVAL_S} s, evaluation every ${EVALUATION_S} s`,
  );

  const samples = new Map();
  const lastSeen = new Map();
  let evaluations = 0;
  while (evaluations < WARMUP_EVALUATIONS + MEASURED_EVALUATIONS) {
    await sleep(EVALUATION_S * 250);
    const { duration, evaluatedAt } = await ruleGroupFigures(prometheusUrl);
    const baselineAt = evaluatedAt.get(BASELINE_GROUP);
    if (baselineAt === undefined || baselineAt === lastSeen.get(BASELINE_GROUP)) continue;
    lastSeen.set(BASELINE_GROUP, baselineAt);
    evaluations += 1;
    if (evaluations <= WARMUP_EVALUATIONS) continue;
    for (const [group, seconds] of duration) {
      if (!samples.has(group)) samples.set(group, []);
      samples.get(group).push(seconds);
    }
  }

  const scrapeSeconds = await instant(prometheusUrl, 'max_over_time(scrape_duration_seconds{job="vigil-prober"}[2m])');
  console.log(`scrape of the checks after the warm-up: ${fmt.ms(Number(scrapeSeconds) * 1000)} (worst of 2 minutes)`);
  const worst = (values) => Math.max(...values);
  const baseline = worst(samples.get(BASELINE_GROUP));
  console.log(`\nrule group evaluation, ${MEASURED_EVALUATIONS} evaluations after ${WARMUP_EVALUATIONS} of warm-up:`);
  console.log('group                          median      worst   worst/baseline');
  for (const [group, values] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `${group.padEnd(28)} ${fmt.ms(median(values) * 1000).padStart(10)} ${fmt.ms(worst(values) * 1000).padStart(10)}` +
        `   ${(worst(values) / baseline).toFixed(1)}x`,
    );
  }
  // Splitting a group shortens each evaluation but not the work: the sum over the repo's groups is what one
  // evaluation interval costs Prometheus in all.
  const repoGroups = [...samples].filter(([group]) => group !== BASELINE_GROUP);
  const sumOf = (pick) => repoGroups.reduce((sum, [, values]) => sum + pick(values), 0);
  console.log(
    `${'all repo groups, summed'.padEnd(28)} ${fmt.ms(sumOf(median) * 1000).padStart(10)} ${fmt.ms(sumOf(worst) * 1000).padStart(10)}` +
      `   (${repoGroups.length} groups; every ${EVALUATION_S} s)`,
  );
  for (const [group, values] of samples) {
    if (group === BASELINE_GROUP) continue;
    goal({
      name: `rule group ${group}, ${fmt.int(CHECKS)} checks, worst evaluation`,
      figure: fmt.ms(worst(values) * 1000),
      baseline: fmt.ms(baseline * 1000),
      ratio: worst(values) / baseline,
      target: `< ${GOAL_SECONDS * 1000} ms`,
      pass: worst(values) < GOAL_SECONDS,
    });
  }
} finally {
  clearInterval(feeder);
  await prometheus?.stop();
  await target.close();
  work.remove();
}
