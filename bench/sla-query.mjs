// SLA query times over 30 days of 1,000 checks probed every 30 s, in a fresh SQLite store. 86.4 million raw rows
// would take far longer to write than to query, so the month is written as the store would hold it after the
// rollup job: hourly and daily rollups up to 26 hours ago, raw results (every 30 s) for the last 26 hours (enough
// for the 24-hour window to read raw rows at both its edges); the rollup job then rolls those up as in production. Prints what was written and how long it took, then the median of
// 5 for the 30-day and 365-day SLA of all checks and of one check (cold: a new SlaService each time; warm: one
// service asked again a minute later, as the metrics are every minute), and the metrics figures (all five windows).
// Run after `npm run build`: node bench/sla-query.mjs [--quick]  (--quick: 100 checks, a tenth of the size)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { SqliteStore } = await import(path.join(root, 'dist/store/sqlite-store.js'));
const { SlaService } = await import(path.join(root, 'dist/sla/sla-service.js'));
const { RollupJob } = await import(path.join(root, 'dist/sla/rollup-job.js'));
const { rollUpDays } = await import(path.join(root, 'dist/sla/rollup.js'));

const quick = process.argv.includes('--quick');
const CHECKS = quick ? 100 : 1_000;
const INTERVAL_MS = 30_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DAYS = 30;
const RAW_HOURS = 26;
const RUNS = 5;
const NOW = Date.UTC(2026, 0, 31, 12, 7, 0);
const RAW_FROM = Math.floor((NOW - RAW_HOURS * HOUR) / HOUR) * HOUR;
const FIRST_HOUR = Math.floor((NOW - DAYS * DAY) / DAY) * DAY;

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

function hourRollup(checkIndex, bucketStart) {
  let downMs = 0;
  for (let at = bucketStart; at < bucketStart + HOUR; at += MINUTE) if (isDown(checkIndex, at)) downMs += MINUTE;
  const perHour = HOUR / INTERVAL_MS;
  const failed = (downMs / MINUTE) * (MINUTE / INTERVAL_MS);
  return {
    checkId: checks[checkIndex].id,
    resolution: 'hour',
    bucketStart,
    upMs: HOUR - downMs,
    degradedMs: 0,
    downMs,
    maintenanceMs: 0,
    unknownMs: 0,
    checksTotal: perHour,
    checksSuccess: perHour - failed,
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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const count = (value) => value.toLocaleString('en-US');

async function time(work) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-sla-'));
const store = await SqliteStore.open(path.join(dir, 'vigil.db'));
try {
  console.log(`${CHECKS} checks every ${INTERVAL_MS / 1000} s, ${DAYS} days ending ${new Date(NOW).toISOString()}${quick ? ' (--quick)' : ''}`);

  // Everything before the last 26 hours as rollups, a day per transaction.
  let rollupRows = 0;
  const rollupMs = await time(async () => {
    for (let day = FIRST_HOUR; day < RAW_FROM; day += DAY) {
      const hourly = [];
      for (let hour = day; hour < Math.min(day + DAY, RAW_FROM); hour += HOUR) {
        for (let index = 0; index < CHECKS; index++) hourly.push(hourRollup(index, hour));
      }
      const daily = day + DAY <= RAW_FROM ? rollUpDays(hourly) : [];
      await store.saveRollups([...hourly, ...daily]);
      rollupRows += hourly.length + daily.length;
    }
  });
  console.log(`rollups written: ${count(rollupRows)} rows (hourly and daily, ${new Date(FIRST_HOUR).toISOString().slice(0, 10)} to ${new Date(RAW_FROM).toISOString().slice(0, 16)}Z) in ${ms(rollupMs)}`);

  // The last 26 hours raw, 10,000 results per transaction (the result writer batches likewise).
  let rawRows = 0;
  const rawMs = await time(async () => {
    let batch = [];
    for (let at = RAW_FROM; at < NOW; at += INTERVAL_MS) {
      for (let index = 0; index < CHECKS; index++) {
        batch.push(result(index, at + (index % 30) * 1_000));
        if (batch.length === 10_000) {
          await store.insertResults(batch);
          rawRows += batch.length;
          batch = [];
        }
      }
    }
    await store.insertResults(batch);
    rawRows += batch.length;
  });
  console.log(`raw results written: ${count(rawRows)} rows (${RAW_HOURS} hours at ${INTERVAL_MS / 1000} s, ${new Date(RAW_FROM).toISOString().slice(0, 16)}Z on) in ${ms(rawMs)} (${count(Math.round(rawRows / (rawMs / 1000)))} rows/s)`);

  const job = new RollupJob({ store, checks: () => checks, maintenance: () => [], logger: pino({ level: 'silent' }), now: () => NOW });
  let run;
  const jobMs = await time(async () => {
    run = await job.runOnce();
  });
  console.log(`rollup job: ${run.hours} hours and ${run.days} days rolled up, ${count(run.rollups)} rows, in ${ms(jobMs)}`);
  console.log('(raw rows exist for the last 26 hours only: the 30- and 365-day windows read raw rows at their newest edge');
  console.log(' alone; the 24-hour window of the metrics reads them at both edges, as every window does in production)');

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
  const one = [checks[45 % CHECKS].id]; // down 3 minutes a day

  // Cold: a new service each time (after a start or a reload). Warm: one service asked again a minute later each
  // time, as the metrics ask every minute.
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
    console.log(`${label.padEnd(34)} cold ${ms(median(cold)).padStart(9)}   warm ${ms(median(warm)).padStart(9)}   (median of ${RUNS})`);
  }

  let sample;
  await measure(`30-day SLA, all ${CHECKS} checks`, async (service) => {
    sample = await service.checkReports('30d');
  });
  console.log(`  e.g. ${one[0]}: ${sample.get(one[0]).uptimePercent.toFixed(4)} % over 30 days`);
  await measure(`365-day SLA, all ${CHECKS} checks`, (service) => service.checkReports('365d'));
  await measure('30-day SLA, one check', (service) => service.checkReports('30d', one));
  await measure('365-day SLA, one check', (service) => service.checkReports('365d', one));
  await measure(`metrics: 5 windows x ${CHECKS} checks`, (service) => service.metricsFigures());
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
