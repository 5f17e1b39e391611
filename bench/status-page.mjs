// The status page (`GET /`) and `GET /api/v1/status` of a prober with 1,000 checks (100 components of ten) and 30 days
// of history in its SQLite store: hourly and daily rollups for 30 days, raw results every 60 s for the last 26 hours
// (then rolled up by the rollup job, as in production), an incident per component. The prober probes its checks all
// along, every 60 s against a local target that answers 200, so results keep coming in as the pages are timed.
// Cold: the first request once the prober answers ready on `/-/ready`, which it does after computing its SLA
// figures and the status page's figures at start (README), as a load balancer or `vigil stack` would send the first
// visitor; the time from its process start to ready is printed beside. The page itself (each check's latest
// result, incidents, the render) is not prepared: the cold request does that work. Warm: the median of
// the next 10, one a second, as visitors come (so some of them follow new results by more than the 5 s a render is
// reused for, and render afresh). Each path is timed on a prober of its own, so each cold figure is a first request.
// Baseline, in this process on the same database file: the same store reads (the window sums and the daily bars from
// the rollups, the incidents, each component's first result) and a plain template render of the same rows, one string
// per component, check and bar, without escaping or view logic. Goals: under 200 ms each, warm under 50 ms.
//
//   npm run build && node bench/status-page.mjs [--quick]   (--quick: 50 checks, 2 days of history)

import path from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { fmt, goal, median, parseFlags, sleep, startWorker, tempDir } from './lib/common.mjs';

const { SqliteStore } = await import('../dist/store/sqlite-store.js');
const { RollupJob } = await import('../dist/sla/rollup-job.js');
const { rollUpDays } = await import('../dist/sla/rollup.js');

const { quick } = parseFlags();
const CHECKS = quick ? 50 : 1_000;
const PER_COMPONENT = 10;
const DAYS = quick ? 2 : 30;
const INTERVAL_MS = 60_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RAW_HOURS = 26;
const WARM_RUNS = 10;
/** A visitor a second. */
const WARM_SPACING_MS = 1_000;
const NOW = Date.now();
const RAW_FROM = Math.floor((NOW - RAW_HOURS * HOUR) / HOUR) * HOUR;
const FIRST_DAY = Math.floor((NOW - DAYS * DAY) / DAY) * DAY;

const ids = Array.from({ length: CHECKS }, (_, index) => `check_${String(index).padStart(4, '0')}`);
const components = Array.from({ length: Math.ceil(CHECKS / PER_COMPONENT) }, (_, index) => ({
  id: `component_${index}`,
  checks: ids.slice(index * PER_COMPONENT, (index + 1) * PER_COMPONENT),
}));

/** Check i is down for (i % 7) minutes a day from minute 17 of hour (i % 24). */
function isDown(index, at) {
  const minuteOfDay = Math.floor((at % DAY) / MINUTE);
  const start = (index % 24) * 60 + 17;
  return minuteOfDay >= start && minuteOfDay < start + (index % 7);
}

function hourRollup(index, bucketStart) {
  let downMs = 0;
  for (let at = bucketStart; at < bucketStart + HOUR; at += MINUTE) if (isDown(index, at)) downMs += MINUTE;
  const probes = HOUR / INTERVAL_MS;
  const failed = downMs / INTERVAL_MS;
  return {
    checkId: ids[index],
    resolution: 'hour',
    bucketStart,
    upMs: HOUR - downMs,
    degradedMs: 0,
    downMs,
    maintenanceMs: 0,
    unknownMs: 0,
    checksTotal: probes,
    checksSuccess: probes - failed,
    checksFailed: failed,
  };
}

async function seed(file) {
  const store = await SqliteStore.open(file);
  const started = performance.now();
  for (let day = FIRST_DAY; day < RAW_FROM; day += DAY) {
    const hourly = [];
    for (let hour = day; hour < Math.min(day + DAY, RAW_FROM); hour += HOUR)
      for (let index = 0; index < CHECKS; index++) hourly.push(hourRollup(index, hour));
    await store.saveRollups([...hourly, ...(day + DAY <= RAW_FROM ? rollUpDays(hourly) : [])]);
  }
  let batch = [];
  let rows = 0;
  for (let at = RAW_FROM; at < NOW - INTERVAL_MS; at += INTERVAL_MS) {
    for (let index = 0; index < CHECKS; index++) {
      const down = isDown(index, at);
      batch.push({
        checkId: ids[index],
        status: down ? 'down' : 'healthy',
        ...(down ? { reason: 'status_code' } : {}),
        message: down ? 'HTTP 503, expected 200' : 'HTTP 200',
        startedAt: at,
        finishedAt: at + 80,
        durationMs: 80,
        phases: {},
        consecutiveFailures: down ? 1 : 0,
        inMaintenance: false,
      });
      if (batch.length === 10_000) {
        await store.insertResults(batch);
        rows += batch.length;
        batch = [];
      }
    }
  }
  await store.insertResults(batch);
  rows += batch.length;
  for (const [index, component] of components.entries()) {
    const openedAt = NOW - (index % DAYS) * DAY - 3 * HOUR;
    await store.saveIncident({
      id: `incident_${index}`,
      checkId: component.checks[0],
      openedAt,
      closedAt: openedAt + 20 * MINUTE,
      firstReason: 'status_code',
      firstMessage: 'HTTP 503, expected 200',
      lastMessage: 'HTTP 503, expected 200',
      failures: 20,
      lastFailureAt: openedAt + 19 * MINUTE,
    });
  }
  const checks = ids.map((id) => ({ id, intervalMs: INTERVAL_MS, timeoutMs: 5_000 }));
  const job = new RollupJob({ store, checks: () => checks, maintenance: () => [], logger: pino({ level: 'silent' }) });
  await job.runOnce();
  await store.close();
  console.log(
    `seeded ${fmt.int(CHECKS)} checks: ${DAYS} days of rollups, ${fmt.int(rows)} raw results, in ${fmt.ms(performance.now() - started)}`,
  );
}

function writeConfig(dir, targetUrl) {
  const checks = ids.map((id) => `  - {id: ${id}, endpoint: {url: "${targetUrl}"}}`);
  writeFileSync(
    path.join(dir, 'checks.yml'),
    `defaults: {interval: 60s, timeout: 5s}\nchecks:\n${checks.join('\n')}\n`,
  );
  const list = components.map((c) => `  - {id: ${c.id}, name: "Component ${c.id}", checks: [${c.checks.join(', ')}]}`);
  writeFileSync(path.join(dir, 'status-page.yml'), `title: Bench\ncomponents:\n${list.join('\n')}\n`);
  writeFileSync(path.join(dir, 'config.yml'), '');
}

async function timed(url) {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 200)}`);
  return { ms: performance.now() - started, bytes: body.length };
}

/** Polls `/-/ready` until the prober says ready: milliseconds since `startedAt` (performance.now()). */
async function untilReady(base, startedAt) {
  for (;;) {
    const response = await fetch(`${base}/-/ready`);
    await response.arrayBuffer();
    if (response.ok) return performance.now() - startedAt;
    await sleep(20);
  }
}

/** A prober of its own for `route`: the first request is cold, the next WARM_RUNS warm. */
async function measure(configDir, dataDir, route) {
  const spawned = performance.now();
  const host = await startWorker('vigil-host.mjs', [configDir, dataDir]);
  try {
    const base = `http://127.0.0.1:${host.ready.port}`;
    const readyMs = await untilReady(base, spawned);
    const url = `${base}${route}`;
    const cold = await timed(url);
    const warm = [];
    for (let run = 0; run < WARM_RUNS; run++) {
      await sleep(WARM_SPACING_MS);
      warm.push((await timed(url)).ms);
    }
    return { cold: cold.ms, warm: median(warm), bytes: cold.bytes, readyMs };
  } finally {
    await host.stop();
  }
}

/** The floor: the same rows read with bare SQL and written out with plain template strings. */
function baselineRender(file) {
  const db = new Database(file, { readonly: true });
  const windows = [DAY, 7 * DAY, 30 * DAY, 90 * DAY];
  const sums = db.prepare(
    `SELECT check_id, SUM(up_ms) up, SUM(down_ms) down, SUM(degraded_ms) degraded FROM rollups
     WHERE resolution = 'hour' AND bucket_start >= ? GROUP BY check_id`,
  );
  const days = db.prepare(
    `SELECT check_id, bucket_start, up_ms, down_ms FROM rollups WHERE resolution = 'day' AND bucket_start >= ?`,
  );
  const incidents = db.prepare('SELECT * FROM incidents WHERE opened_at >= ? ORDER BY opened_at DESC LIMIT 100');
  const first = db.prepare('SELECT MIN(started_at) first FROM results WHERE check_id = ?');
  const started = performance.now();
  const perWindow = windows.map((ms) => new Map(sums.all(NOW - ms).map((row) => [row.check_id, row])));
  const dayRows = days.all(NOW - 90 * DAY);
  const byCheck = new Map();
  for (const row of dayRows) byCheck.set(row.check_id, [...(byCheck.get(row.check_id) ?? []), row]);
  const listed = incidents.all(NOW - 7 * DAY);
  let out = '<!doctype html><main>';
  for (const component of components) {
    const since = first.get(component.checks[0])?.first;
    out += `<article><h2>${component.id}</h2><p>since ${since}</p><ul>`;
    for (const window of perWindow) {
      let up = 0;
      let total = 0;
      for (const id of component.checks) {
        const row = window.get(id);
        up += row?.up ?? 0;
        total += (row?.up ?? 0) + (row?.down ?? 0);
      }
      out += `<li>${total === 0 ? '-' : ((up / total) * 100).toFixed(2)} %</li>`;
    }
    out += '</ul><div>';
    for (let day = 0; day < 90; day++)
      out += `<span title="day ${day}: ${byCheck.get(component.checks[0])?.[day]?.up_ms ?? 0}"></span>`;
    out += '</div><ul>';
    for (const id of component.checks) out += `<li>${id}: operational</li>`;
    out += '</ul></article>';
  }
  for (const incident of listed) out += `<article>${incident.check_id} ${incident.first_message}</article>`;
  out += '</main>';
  const ms = performance.now() - started;
  db.close();
  return { ms, bytes: out.length };
}

const data = tempDir('status-page');
let target;
try {
  const dataDir = path.join(data.dir, 'data');
  const configDir = path.join(data.dir, 'config');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir);
  mkdirSync(configDir);
  target = await startWorker('target.mjs');
  writeConfig(configDir, `http://127.0.0.1:${target.ready.port}/`);
  await seed(path.join(dataDir, 'vigil.db'));

  const baselineCold = baselineRender(path.join(dataDir, 'vigil.db'));
  const baselineWarm = median(
    Array.from({ length: WARM_RUNS }, () => baselineRender(path.join(dataDir, 'vigil.db')).ms),
  );
  console.log(`baseline (bare SQL + template): cold ${fmt.ms(baselineCold.ms)}, warm ${fmt.ms(baselineWarm)}`);

  const notJudged = quick ? `--quick: ${CHECKS} checks, ${DAYS} days` : undefined;
  for (const route of ['/', '/api/v1/status']) {
    const probesBefore = await target.ask({ ask: 'count' });
    const { cold, warm, bytes, readyMs } = await measure(configDir, dataDir, route);
    console.log(
      `${route}: the prober probed its target ${fmt.int((await target.ask({ ask: 'count' })) - probesBefore)} times meanwhile`,
    );
    console.log(
      `${route}: ready ${fmt.ms(readyMs)} after its process started; cold ${fmt.ms(cold)}, warm ${fmt.ms(warm)} (median of ${WARM_RUNS}), ${fmt.int(bytes)} bytes`,
    );
    goal({
      name: `${route} cold, ${fmt.int(CHECKS)} checks, ${DAYS} days`,
      figure: fmt.ms(cold),
      baseline: fmt.ms(baselineCold.ms),
      ratio: cold / baselineCold.ms,
      target: '< 200 ms',
      pass: cold < 200,
      ...(notJudged ? { notJudged } : {}),
    });
    goal({
      name: `${route} warm, ${fmt.int(CHECKS)} checks, ${DAYS} days`,
      figure: fmt.ms(warm),
      baseline: fmt.ms(baselineWarm),
      ratio: warm / baselineWarm,
      target: '< 50 ms',
      pass: warm < 50,
      ...(notJudged ? { notJudged } : {}),
    });
  }
} finally {
  await target?.stop();
  data.remove();
}
