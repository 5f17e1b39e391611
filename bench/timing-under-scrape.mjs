// Timing truth under scrape: N checks probe a target that always answers after exactly 100 ms while /metrics is
// scraped every few seconds; prints how far the reported durations stray from 100 ms, with a light-scrape baseline
// measured in the same run. Run after `npm run build`: node bench/timing-under-scrape.mjs [--quick] [--checks N]

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const checksArg = args.indexOf('--checks');
const checks = checksArg >= 0 ? Number(args[checksArg + 1]) : quick ? 1_000 : 10_000;
const phaseMs = quick ? 60_000 : 120_000;
const ANSWER_MS = 100;

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startChild(argv, env = {}) {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitReady(url, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready: ${url}`);
}

const targetPort = await freePort();
const targetCode = `
  const http = require('node:http');
  http.createServer((req, res) => setTimeout(() => res.end('ok'), ${ANSWER_MS})).listen(${targetPort}, '127.0.0.1');
`;
const target = spawn(process.execPath, ['-e', targetCode], { stdio: 'inherit' });

const configDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-'));
const lines = ['checks:'];
for (let i = 0; i < checks; i++) lines.push(`  - {id: c${i}, interval: 30s, timeout: 5s, endpoint: {url: "http://127.0.0.1:${targetPort}/"}}`);
writeFileSync(path.join(configDir, 'checks.yml'), lines.join('\n') + '\n');
writeFileSync(path.join(configDir, 'config.yml'), 'prober: {max_concurrency: 512}\n');
const proberPort = await freePort();
const prober = startChild([path.join(root, 'dist/cli.js'), 'prober', '--config-dir', configDir, '--prober-listen', `127.0.0.1:${proberPort}`], {
  VIGIL_LOG_LEVEL: 'warn',
});
const base = `http://127.0.0.1:${proberPort}`;
await waitReady(`${base}/-/ready`);

/** Scrapes every `everyMs` for `forMs`; returns the reported durations of probes that finished during the phase. */
async function phase(everyMs, forMs) {
  const errors = [];
  const scrapeTimes = [];
  const seen = new Map();
  const started = Date.now() / 1000;
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const t0 = performance.now();
    const text = await (await fetch(`${base}/metrics`)).text();
    scrapeTimes.push(performance.now() - t0);
    const lastRun = new Map();
    for (const line of text.split('\n')) {
      if (line.startsWith('uptime_check_last_run_timestamp_seconds{')) {
        lastRun.set(line.slice(line.indexOf('check="') + 7, line.indexOf('"', line.indexOf('check="') + 7)), Number(line.slice(line.lastIndexOf(' ') + 1)));
      }
    }
    for (const line of text.split('\n')) {
      if (!line.startsWith('uptime_check_duration_seconds{')) continue;
      const id = line.slice(line.indexOf('check="') + 7, line.indexOf('"', line.indexOf('check="') + 7));
      const at = lastRun.get(id);
      if (at === undefined || at < started || seen.get(id) === at) continue;
      seen.set(id, at);
      errors.push(Number(line.slice(line.lastIndexOf(' ') + 1)) * 1000 - ANSWER_MS);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - t0))));
  }
  errors.sort((a, b) => a - b);
  scrapeTimes.sort((a, b) => a - b);
  const q = (list, p) => list[Math.min(list.length - 1, Math.floor(p * list.length))];
  return { samples: errors.length, p50: q(errors, 0.5), p99: q(errors, 0.99), max: errors.at(-1), scrapeMedianMs: q(scrapeTimes, 0.5) };
}

// Let every check run once before measuring.
await new Promise((r) => setTimeout(r, 32_000));
const light = await phase(15_000, phaseMs);
const heavy = await phase(5_000, phaseMs);
prober.kill('SIGTERM');
target.kill('SIGTERM');
const fmt = (r) => `samples ${r.samples}, error p50 ${r.p50?.toFixed(2)} ms, p99 ${r.p99?.toFixed(2)} ms, max ${r.max?.toFixed(2)} ms, scrape median ${r.scrapeMedianMs.toFixed(0)} ms`;
console.log(`timing truth, ${checks} checks at 30 s against a ${ANSWER_MS} ms target`);
console.log(`  baseline (scrape every 15 s): ${fmt(light)}`);
console.log(`  under scrape every 5 s:       ${fmt(heavy)}`);
console.log(`  p99 error ratio (5 s / 15 s): ${(heavy.p99 / light.p99).toFixed(2)}  goal: p99 error < 20 ms`);
