// SLA query times over a year of 1,000 checks probed every 30 s, in a fresh SQLite store laid out as the default
// retention keeps it: daily rollups for 365 days, hourly rollups for the last 90 days, raw results (every 30 s) for
// the last 26 hours, which the rollup job then rolls up as in production. Production keeps 90 days of raw results
// too, but SLA windows read raw rows only at their edges, through an index, and writing them all (260 million rows)
// would take far longer than querying them: so the raw results are written where the windows read them, around the
// leading edges of the 7-day and 30-day windows, and from the retention's cut (90 days ago) to the end of the 90-day
// window's first hour.
// Prints what was written and how long it took, then the median of 5 for: all five windows of all checks (the
// metrics' figures) and of one check, cold (a new SlaService each time: after a start or a reload) and warm (one
// service asked again a minute later, as the metrics are every minute). Baseline, on the same database: one bare
// SQL aggregate per window over the daily rollups (what no SLA engine can beat; it ignores the edges).
//
//   npm run build && node bench/sla-query.mjs [--quick]   (--quick: 100 checks, a tenth of the size)
//
// Writing takes minutes. With VIGIL_BENCH_SLA_CACHE=DIR the written file is kept in DIR under a name made of the
// parameters, and later runs copy it instead of writing it again (the store's migrations then bring the copy up to
// date, as an upgrade would).

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { fmt, goal, median } from './lib/common.mjs';

const { SqliteStore } = await import('../dist/store/sqlite-store.js');
const { SlaService } = await import('../dist/sla/sla-service.js');
const { RollupJob } = await import('../dist/sla/rollup-job.js');
const { rollUpDays } = await import('../dist/sla/rollup.js');

const quick = process.argv.includes('--quick');
const CHECKS = quick ? 100 : 1_000;
const INTERVAL_MS = 30_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DAYS = 365;
const HOURLY_DAYS = 90;
const RAW_HOURS = 26;
const RUNS = 5;
const WINDOWS = ['24h', '7d', '30d', '90d', '365d'];
const WINDOW_MS = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, '365d': 365 * DAY };
// Half past the hour: a window's first hour is then read half an hour from either side of its start, the most a
// first refresh reads (see RawSummaries), so the cold figure is the worst minute of the hour.
const NOW = Date.UTC(2026, 0, 31, 12, 30, 0);
const RAW_FROM = Math.floor((NOW - RAW_HOURS * HOUR) / HOUR) * HOUR;
const FIRST_DAY = Math.floor((NOW - DAYS * DAY) / DAY) * DAY;
const FIRST_HOURLY_DAY = Math.floor((NOW - HOURLY_DAYS * DAY) / DAY) * DAY;
/** Raw results kept beyond the last 26 hours: [from, to) around the windows' leading edges (see the top). */
const floorHour = (at) => Math.floor(at / HOUR) * HOUR;
const EDGE_RAW = [7 * DAY, 30 * DAY].map((ms) => ({
  from: floorHour(NOW - ms) - HOUR,
  to: floorHour(NOW - ms) + HOUR,
}));
EDGE_RAW.push({ from: NOW - HOURLY_DAYS * DAY, to: floorHour(NOW - HOURLY_DAYS * DAY) + HOUR });

const checks = Array.from({ length: CHECKS }, (_, index) => ({
  id: `check_${String(index).padStart(4, '0')}`,
  name: `Check ${index}`,
  group: `group_${index % 10}`,
  component: `component_${index % 10}`,
  service: 'bench',
  intervalMs: INTERVAL_MS,
  timeoutMs: 5_000,
}));

/** Check i is down for (i % 7) minutes a day, starting at minute 17 of hour (i % 24): a few failures everywhere. */
function isDown(checkIndex, at) {
  const minuteOfDay = Math.floor((at % DAY) / MINUTE);
  const start = (checkIndex % 24) * 60 + 17;
  return minuteOfDay >= start && minuteOfDay < start + (checkIndex % 7);
}

function rollup(checkIndex, resolution, bucketStart, size) {
  let downMs = 0;
  for (let at = bucketStart; at < bucketStart + size; at += MINUTE) if (isDown(checkIndex, at)) downMs += MINUTE;
  const probes = size / INTERVAL_MS;
  const failed = downMs / INTERVAL_MS;
  return {
    checkId: checks[checkIndex].id,
    resolution,
    bucketStart,
    upMs: size - downMs,
    degradedMs: 0,
    downMs,
    maintenanceMs: 0,
    unknownMs: 0,
    checksTotal: probes,
    checksSuccess: probes - failed,
    checksFailed: failed,
  };
}

function result(checkIndex, startedAt) {
  const down = isDown(checkIndex, startedAt);
  return {
    checkId: checks[checkIndex].id,
    status: down ? 'down' : 'healthy',
    ...(down ? { reason: 'status_code' } : {}),
    message: down ? 'HTTP 503' : 'HTTP 200',
    startedAt,
    finishedAt: startedAt + 85,
    durationMs: 85,
    phases: { dns: 1, connect: 2, processing: 80, transfer: 2 },
    consecutiveFailures: down ? 1 : 0,
    inMaintenance: false,
  };
}

async function time(work) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function write(store) {
  // Days before the hourly retention: daily rollups alone, a month of days per transaction.
  let rows = 0;
  const oldMs = await time(async () => {
    let batch = [];
    for (let day = FIRST_DAY; day < FIRST_HOURLY_DAY; day += DAY) {
      for (let index = 0; index < CHECKS; index++) batch.push(rollup(index, 'day', day, DAY));
      if (batch.length >= 30 * CHECKS) {
        await store.saveRollups(batch);
        rows += batch.length;
        batch = [];
      }
    }
    await store.saveRollups(batch);
    rows += batch.length;
  });
  console.log(`daily rollups before the hourly retention: ${fmt.int(rows)} rows in ${fmt.ms(oldMs)}`);

  // The last 90 days up to 26 hours ago: hourly rollups and the daily ones made from them, a day per transaction.
  rows = 0;
  const hourlyMs = await time(async () => {
    for (let day = FIRST_HOURLY_DAY; day < RAW_FROM; day += DAY) {
      const hourly = [];
      for (let hour = day; hour < Math.min(day + DAY, RAW_FROM); hour += HOUR) {
        for (let index = 0; index < CHECKS; index++) hourly.push(rollup(index, 'hour', hour, HOUR));
      }
      const daily = day + DAY <= RAW_FROM ? rollUpDays(hourly) : [];
      await store.saveRollups([...hourly, ...daily]);
      rows += hourly.length + daily.length;
    }
  });
  console.log(`hourly and daily rollups of the last ${HOURLY_DAYS} days: ${fmt.int(rows)} rows in ${fmt.ms(hourlyMs)}`);

  // The last 26 hours raw, and the hours at the older windows' edges, 10,000 results per transaction (the result
  // writer batches likewise).
  rows = 0;
  const rawMs = await time(async () => {
    let batch = [];
    for (const { from, to } of [...EDGE_RAW, { from: RAW_FROM, to: NOW }]) {
      for (let at = Math.ceil(from / INTERVAL_MS) * INTERVAL_MS; at < to; at += INTERVAL_MS) {
        for (let index = 0; index < CHECKS; index++) {
          const startedAt = at + (index % 30) * 1_000;
          if (startedAt < from || startedAt >= to) continue;
          batch.push(result(index, startedAt));
          if (batch.length === 10_000) {
            await store.insertResults(batch);
            rows += batch.length;
            batch = [];
          }
        }
      }
    }
    await store.insertResults(batch);
    rows += batch.length;
  });
  console.log(
    `raw results of the last ${RAW_HOURS} hours and at the older windows' edges: ${fmt.int(rows)} rows in ${fmt.ms(rawMs)}`,
  );

  const job = new RollupJob({
    store,
    checks: () => checks,
    maintenance: () => [],
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });
  let run;
  const jobMs = await time(async () => {
    run = await job.runOnce();
  });
  console.log(
    `rollup job: ${run.hours} hours and ${run.days} days rolled up, ${fmt.int(run.rollups)} rows, in ${fmt.ms(jobMs)}`,
  );
}

/** The floor: one GROUP BY per window over the daily rollups, on a connection of its own. */
function bareSql(file) {
  const db = new Database(file, { readonly: true });
  const all = db.prepare(
    `SELECT check_id, SUM(up_ms), SUM(degraded_ms), SUM(down_ms), SUM(maintenance_ms), SUM(unknown_ms), SUM(checks_total)
     FROM rollups WHERE resolution = 'day' AND bucket_start >= ? AND bucket_start < ? GROUP BY check_id`,
  );
  const one = db.prepare(
    `SELECT SUM(up_ms), SUM(degraded_ms), SUM(down_ms), SUM(maintenance_ms), SUM(unknown_ms), SUM(checks_total)
     FROM rollups WHERE check_id = ? AND resolution = 'day' AND bucket_start >= ? AND bucket_start < ?`,
  );
  const day = (at) => Math.floor(at / DAY) * DAY;
  return {
    all: () => WINDOWS.map((window) => all.all(day(NOW - WINDOW_MS[window]), day(NOW))),
    one: (id) => WINDOWS.map((window) => one.get(id, day(NOW - WINDOW_MS[window]), day(NOW))),
    close: () => db.close(),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-sla-'));
const file = path.join(dir, 'vigil.db');
const cacheDir = process.env.VIGIL_BENCH_SLA_CACHE;
const cacheName = `sla-${CHECKS}x${DAYS}d-${HOURLY_DAYS}h-${RAW_HOURS}r-edges-${INTERVAL_MS}-${NOW}.db`;
const cached = cacheDir && path.join(cacheDir, cacheName);
const reused = cached && existsSync(cached);
if (reused) copyFileSync(cached, file);
const store = await SqliteStore.open(file);
try {
  console.log(
    `${CHECKS} checks every ${INTERVAL_MS / 1000} s, ${DAYS} days ending ${new Date(NOW).toISOString()}${quick ? ' (--quick)' : ''}`,
  );
  if (reused) {
    console.log(`written before: copied from ${cached}`);
  } else {
    await write(store);
    if (cached) {
      // Page for page as written (a VACUUM would lay the tables out better than production does).
      const db = new Database(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      mkdirSync(cacheDir, { recursive: true });
      copyFileSync(file, `${cached}.partial`);
      renameSync(`${cached}.partial`, cached);
    }
  }

  const config = {
    checks,
    sla: { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99, countDegradedAsUp: true },
    statusPage: { components: [], tiers: {} },
    maintenance: [],
  };
  const newService = (clock) => {
    const service = new SlaService({ store, now: () => clock.now });
    service.setConfig(config);
    return service;
  };
  const one = checks[45 % CHECKS].id; // down 3 minutes a day

  /** Median of RUNS, cold (a new service each time) and warm (one service, a minute later each time). */
  async function measure(label, ask) {
    const cold = [];
    for (let i = 0; i < RUNS; i++) cold.push(await time(() => ask(newService({ now: NOW }))));
    const clock = { now: NOW };
    const service = newService(clock);
    await ask(service);
    const warm = [];
    for (let i = 0; i < RUNS; i++) {
      clock.now += MINUTE;
      warm.push(await time(() => ask(service)));
    }
    const result = { cold: median(cold), warm: median(warm) };
    console.log(
      `${label.padEnd(44)} cold ${fmt.ms(result.cold).padStart(9)}   warm ${fmt.ms(result.warm).padStart(9)}   (median of ${RUNS})`,
    );
    return result;
  }

  const sample = await newService({ now: NOW }).checkReports('365d', [one]);
  console.log(`e.g. ${one}: ${sample.get(one).uptimePercent.toFixed(4)} % over 365 days`);
  // To compare builds: a change in how the figures are put together must not change them.
  const figures = [...(await newService({ now: NOW }).metricsFigures())];
  const digest = createHash('sha256').update(JSON.stringify(figures)).digest('hex').slice(0, 16);
  console.log(`every check's figures over the 5 windows: sha256 ${digest}`);
  for (const window of ['30d', '365d'])
    await measure(`${window} SLA, all ${CHECKS} checks`, (service) => service.checkReports(window));
  const allWindows = await measure(`all 5 windows x ${CHECKS} checks (metrics)`, (service) => service.metricsFigures());
  const oneCheck = await measure('all 5 windows, one check', async (service) => {
    for (const window of WINDOWS) await service.checkReports(window, [one]);
  });

  const bare = bareSql(file);
  try {
    const timesOf = async (work) => {
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push(await time(async () => work()));
      return median(times);
    };
    const bareAll = await timesOf(() => bare.all());
    const bareOne = await timesOf(() => bare.one(one));
    console.log(
      `${'bare SQL over daily rollups, 5 windows:'.padEnd(44)} all checks ${fmt.ms(bareAll)}, one check ${fmt.ms(bareOne)}`,
    );
    goal({
      name: `SLA all 5 windows, all ${CHECKS} checks (cold)`,
      figure: fmt.ms(allWindows.cold),
      baseline: `bare SQL ${fmt.ms(bareAll)}`,
      ratio: allWindows.cold / bareAll,
      target: '< 1 s',
      pass: allWindows.cold < 1_000,
    });
    goal({
      name: `SLA all 5 windows, all ${CHECKS} checks (warm: the metrics every 30 s)`,
      figure: fmt.ms(allWindows.warm),
      baseline: `bare SQL ${fmt.ms(bareAll)}`,
      ratio: allWindows.warm / bareAll,
      target: '< 1 s',
      pass: allWindows.warm < 1_000,
    });
    goal({
      name: 'SLA all 5 windows, one check (cold)',
      figure: fmt.ms(oneCheck.cold),
      baseline: `bare SQL ${fmt.ms(bareOne)}`,
      ratio: oneCheck.cold / bareOne,
      target: '< 20 ms',
      pass: oneCheck.cold < 20,
    });
  } finally {
    bare.close();
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
