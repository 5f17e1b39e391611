// Scale and timing truth: N checks every 30 s against a local target that always answers after exactly 100 ms, run
// by a Vigil prober (its own process, SQLite store) for a few minutes while /metrics is scraped (gzip, as Prometheus
// asks) every 15 s in the first half and every 5 s in the second. Reports the scheduler's start lag (actual minus
// planned start) p50/p99/max, probes per second, runs skipped, CPU share and RSS of the whole prober process (from
// /proc), and how far the reported durations stray from 100 ms in each half. Baseline, in the same run: a bare
// undici loop probing the same target at the same rate (its lag, CPU and RSS), and the light-scrape half for the
// timing error.
//
//   npm run build && node bench/scale.mjs [--quick] [--checks N] [--seconds S]

import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Pool } from 'undici';
import {
  cpuSeconds,
  fmt,
  goal,
  parseFlags,
  quantile,
  rssMb,
  sleep,
  startWorker,
  tempDir,
  writeVigilConfig,
} from './lib/common.mjs';
import { seedSteadyStore } from './lib/seed-store.mjs';

const gunzipAsync = promisify(gunzip);
const { quick } = parseFlags();
const argValue = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const CHECKS = argValue('--checks', quick ? 1_000 : 10_000);
const SECONDS = argValue('--seconds', quick ? 24 : 300);
const BASELINE_SECONDS = quick ? 6 : 30;
const INTERVAL_S = 30;
const ANSWER_MS = 100;
const LIGHT_SCRAPE_S = 15;
const HEAVY_SCRAPE_S = 5;
const RATE = CHECKS / INTERVAL_S;

const { LAG_BOUNDS_MS } = await import('../dist/schedule/scheduler.js');

/** The upper bound of the lag bucket holding quantile `q` ("at most this late"). */
function lagQuantile(lag, q) {
  const total = lag.counts.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let i = 0; i < lag.counts.length; i++) {
    seen += lag.counts[i];
    if (seen >= q * total) return LAG_BOUNDS_MS[i];
  }
  return Infinity;
}

/** The lines of one metric family in the exposition text (families are contiguous). */
function family(text, name) {
  const start = text.indexOf(`# TYPE ${name} `);
  if (start < 0) return [];
  const end = text.indexOf('\n# HELP ', start);
  return text
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .slice(1);
}

function byCheck(lines) {
  const values = new Map();
  for (const line of lines) {
    const at = line.indexOf('check="');
    if (at < 0) continue;
    values.set(line.slice(at + 7, line.indexOf('"', at + 7)), Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return values;
}

async function runVigil(target) {
  const temp = tempDir('scale');
  const dataDir = path.join(temp.dir, 'data');
  writeVigilConfig(temp.dir, {
    count: CHECKS,
    interval: `${INTERVAL_S}s`,
    url: `http://127.0.0.1:${target.ready.port}/`,
  });
  await seedSteadyStore(temp.dir, dataDir);
  const startedAt = performance.now();
  const host = await startWorker('vigil-host.mjs', [temp.dir, dataDir]);
  const startup = { seconds: (performance.now() - startedAt) / 1000, cpu: cpuSeconds(host.pid) };
  const scraper = new Pool(`http://127.0.0.1:${host.ready.port}`, { connections: 1 });
  try {
    const t0 = performance.now();
    const wall0 = Date.now() / 1000;
    const boundary = wall0 + SECONDS / 2;
    const cpu0 = cpuSeconds(host.pid);
    const count0 = await target.ask({ ask: 'count' });
    const stats0 = await host.ask({ ask: 'stats' });
    const rss = [];
    const sampling = setInterval(() => rss.push(rssMb(host.pid)), 1_000);
    const scrapes = { light: [], heavy: [] };
    const errors = { light: [], heavy: [] };
    let bytes = { plain: 0, gzip: 0 };
    const seen = new Map();
    const end = t0 + SECONDS * 1000;
    while (performance.now() < end) {
      const heavy = Date.now() / 1000 >= boundary;
      const scrapeStarted = performance.now();
      const { body } = await scraper.request({
        path: '/metrics',
        method: 'GET',
        headers: { 'accept-encoding': 'gzip' },
      });
      const compressed = Buffer.from(await body.arrayBuffer());
      (heavy ? scrapes.heavy : scrapes.light).push(performance.now() - scrapeStarted);
      const text = (await gunzipAsync(compressed)).toString();
      bytes = { plain: text.length, gzip: compressed.length };
      const lastRun = byCheck(family(text, 'uptime_check_last_run_timestamp_seconds'));
      for (const [id, seconds] of byCheck(family(text, 'uptime_check_duration_seconds'))) {
        const at = lastRun.get(id);
        if (at === undefined || at < wall0 || seen.get(id) === at) continue;
        seen.set(id, at);
        (at < boundary ? errors.light : errors.heavy).push(Math.abs(seconds * 1000 - ANSWER_MS));
      }
      const every = (heavy ? HEAVY_SCRAPE_S : LIGHT_SCRAPE_S) * 1000;
      await sleep(Math.max(0, Math.min(every - (performance.now() - scrapeStarted), end - performance.now())));
    }
    clearInterval(sampling);
    const seconds = (performance.now() - t0) / 1000;
    const stats = await host.ask({ ask: 'stats' });
    const cpu = cpuSeconds(host.pid) - cpu0;
    const probes = (await target.ask({ ask: 'count' })) - count0;
    const lag = { counts: stats.lag.counts.map((count, i) => count - stats0.lag.counts[i]), maxMs: stats.lag.maxMs };
    for (const list of [...Object.values(errors), ...Object.values(scrapes)]) list.sort((a, b) => a - b);
    return {
      startup,
      seconds,
      probes,
      started: stats.started - stats0.started,
      skipped: stats.skipped - stats0.skipped,
      lag,
      core: cpu / seconds,
      rssMax: Math.max(...rss),
      rssMaxAtS: rss.indexOf(Math.max(...rss)) + 1,
      rssMean: rss.reduce((sum, value) => sum + value, 0) / rss.length,
      scrapes,
      errors,
      bytes,
    };
  } finally {
    await scraper.close();
    await host.stop();
    temp.remove();
  }
}

async function runBareLoop(target) {
  const loop = await startWorker('bare-loop.mjs');
  try {
    const cpu0 = cpuSeconds(loop.pid);
    const rss = [];
    const sampling = setInterval(() => rss.push(rssMb(loop.pid)), 1_000);
    const t0 = performance.now();
    const run = await loop.ask(
      { ask: 'run', url: `http://127.0.0.1:${target.ready.port}/`, rate: RATE, seconds: BASELINE_SECONDS },
      120_000,
    );
    clearInterval(sampling);
    const seconds = (performance.now() - t0) / 1000;
    return { ...run, core: (cpuSeconds(loop.pid) - cpu0) / seconds, rssMax: Math.max(...rss) };
  } finally {
    await loop.stop();
  }
}

const target = await startWorker('target.mjs', ['--delay', String(ANSWER_MS)]);
try {
  console.log(
    `scale: ${fmt.int(CHECKS)} checks every ${INTERVAL_S} s (${RATE.toFixed(0)} probes/s) against a target answering after ${ANSWER_MS} ms, ` +
      `${SECONDS} s; /metrics scraped every ${LIGHT_SCRAPE_S} s, then every ${HEAVY_SCRAPE_S} s${quick ? ' (--quick)' : ''}`,
  );
  const vigil = await runVigil(target);
  const bare = await runBareLoop(target);
  const lagP50 = lagQuantile(vigil.lag, 0.5);
  const lagP99 = lagQuantile(vigil.lag, 0.99);
  const q = (list, p) => fmt.ms(quantile(list, p));
  console.log(
    `  prober started in ${vigil.startup.seconds.toFixed(1)} s using ${vigil.startup.cpu.toFixed(1)} CPU-s (not counted below)`,
  );
  console.log(
    `  vigil prober:     ${fmt.int(vigil.started)} probes started (${(vigil.started / vigil.seconds).toFixed(1)}/s; target answered ${fmt.int(vigil.probes)}), ` +
      `${vigil.skipped} skipped; lag p50 <= ${lagP50} ms, p99 <= ${lagP99} ms, max ${fmt.ms(vigil.lag.maxMs)}; ` +
      `${vigil.core.toFixed(3)} core; RSS max ${fmt.mb(vigil.rssMax)} (${vigil.rssMaxAtS} s in), mean ${fmt.mb(vigil.rssMean)}`,
  );
  console.log(
    `  bare undici loop: ${fmt.int(bare.probes)} probes in ${BASELINE_SECONDS} s at the same rate; lag p50 ${fmt.ms(bare.lag.p50)}, ` +
      `p99 ${fmt.ms(bare.lag.p99)}, max ${fmt.ms(bare.lag.max)}; ${bare.core.toFixed(3)} core; RSS max ${fmt.mb(bare.rssMax)}`,
  );
  console.log(
    `  /metrics: ${fmt.mb(vigil.bytes.plain / 2 ** 20)} plain, ${fmt.mb(vigil.bytes.gzip / 2 ** 20)} gzip; scrape median ` +
      `${q(vigil.scrapes.light, 0.5)} (every ${LIGHT_SCRAPE_S} s), ${q(vigil.scrapes.heavy, 0.5)} (every ${HEAVY_SCRAPE_S} s)`,
  );
  for (const [half, every] of [
    ['light', LIGHT_SCRAPE_S],
    ['heavy', HEAVY_SCRAPE_S],
  ]) {
    const list = vigil.errors[half];
    console.log(
      `  timing error, scrape every ${every} s: ${fmt.int(list.length)} probes, |duration - ${ANSWER_MS} ms| p50 ${q(list, 0.5)}, ` +
        `p99 ${q(list, 0.99)}, max ${fmt.ms(list.at(-1))}`,
    );
  }
  goal({
    name: 'scale: start lag p99',
    figure: `<= ${lagP99} ms`,
    baseline: `bare loop ${fmt.ms(bare.lag.p99)}`,
    target: '< 1 s',
    pass: lagP99 <= 1_000,
  });
  goal({ name: 'scale: runs skipped', figure: String(vigil.skipped), target: '0', pass: vigil.skipped === 0 });
  goal({
    name: 'scale: RSS max',
    figure: fmt.mb(vigil.rssMax),
    baseline: `bare loop ${fmt.mb(bare.rssMax)}`,
    ratio: vigil.rssMax / bare.rssMax,
    target: '< 300 MB',
    pass: vigil.rssMax < 300,
  });
  goal({
    name: 'scale: CPU',
    figure: `${vigil.core.toFixed(3)} core`,
    baseline: `bare loop ${bare.core.toFixed(3)} core`,
    ratio: vigil.core / bare.core,
    target: '< 0.5 core',
    pass: vigil.core < 0.5,
  });
  const heavyP99 = quantile(vigil.errors.heavy, 0.99);
  const lightP99 = quantile(vigil.errors.light, 0.99);
  goal({
    name: `timing truth under scrape every ${HEAVY_SCRAPE_S} s: p99 error`,
    figure: fmt.ms(heavyP99),
    baseline: `scrape every ${LIGHT_SCRAPE_S} s ${fmt.ms(lightP99)}`,
    ratio: heavyP99 / lightP99,
    target: '< 20 ms',
    pass: heavyP99 < 20,
  });
} finally {
  await target.stop();
}
