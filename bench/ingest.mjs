// Sustained webhook ingest: the Vigil receiver (durable write before every 200, SQLite WAL, synchronous=NORMAL)
// against a bare express app that parses the same payloads and answers 200, measured in the same run with the same
// closed-loop load generator. Each server runs in its own child process so the load generator does not share its
// event loop. Both servers stay up for the whole run and are measured in alternating rounds (bare then receiver,
// then receiver then bare, ...), so a drift in the machine's speed falls on both alike; the throughput ratio is the
// median of the rounds' ratios. Prints requests and alerts per second, each server's CPU per request, p50/p99 answer
// times and the ratios; then, for each server, the answer times at a fixed 500 notifications/s (open loop: each
// request's time counts from when it was due).
//
//   npm run build && node bench/ingest.mjs [--quick] [--concurrency 32] [--rounds 5] [--seconds 4] [--cpu-prof DIR]
//   (--seconds: per server and round; --cpu-prof: each server writes a CPU profile into DIR/bare and DIR/receiver)
//
// Only 127.0.0.1 is used. The payload is an Alertmanager v4 notification of ~3 KB with 5 alerts; every request
// carries 5 new alerts (new label values), so each one is a real insert, not a dedup hit.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { cpuSeconds, fmt, goal, median, pace, quantile } from './lib/common.mjs';

const SELF = fileURLToPath(import.meta.url);
const ALERTS_PER_REQUEST = 5;
const ADMIN_TOKEN = 'bench-admin-token';
const FIXED_RATE = 500;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    serve: { type: 'string' },
    'data-dir': { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});

// ---- servers (child processes) ----

async function serve(kind, dataDir) {
  const server = kind === 'receiver' ? await serveReceiver(dataDir) : await serveBare();
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await server.close();
  process.exit(0);
}

async function serveReceiver(dataDir) {
  const [{ loadConfig, formatProblem }, { ReceiverRole }, { pino }] = await Promise.all([
    import('../dist/config/index.js'),
    import('../dist/receiver-role.js'),
    import('pino'),
  ]);
  await writeFile(
    path.join(dataDir, 'checks.yml'),
    'checks:\n  - {id: bench, endpoint: {url: "http://127.0.0.1:9/"}}\n',
  );
  const env = { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN };
  const loaded = loadConfig({ configDir: dataDir, env });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const role = await ReceiverRole.start({
    config: loaded.config,
    env,
    logger: pino({ level: 'warn' }),
    listen: { host: '127.0.0.1', port: 0 },
    dataDir: path.join(dataDir, 'data'),
  });
  return { port: role.address.port, close: () => role.close() };
}

async function serveBare() {
  const { default: express } = await import('express');
  const { createServer } = await import('node:http');
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.post('/api/v1/alertmanager', (req, res) => {
    res.status(200).json({ status: 'ok', alerts: Array.isArray(req.body?.alerts) ? req.body.alerts.length : 0 });
  });
  const server = createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function startChild(kind, dataDir) {
  const profile =
    values['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.join(values['cpu-prof'], kind)];
  const child = spawn(
    process.execPath,
    [...profile, SELF, '--serve', kind, ...(dataDir ? ['--data-dir', dataDir] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const line = text.split('\n').find((each) => each.startsWith('{"port"'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---- payloads ----

const STARTS_AT = new Date(Date.now() - 60_000).toISOString();

/** A ~3 KB notification whose five alerts are new for each `n`. */
function payload(n) {
  const alerts = Array.from({ length: ALERTS_PER_REQUEST }, (_, k) => ({
    status: 'firing',
    labels: {
      alertname: 'UptimeCheckDown',
      check: `check_${n}_${k}`,
      severity: k === 0 ? 'critical' : 'warning',
      instance: `https://service-${k}.example.com/health`,
      job: 'vigil-prober',
      service: `service-${k}`,
      component: 'backend',
    },
    annotations: {
      summary: `Check check_${n}_${k} is down`,
      description: `The synthetic check check_${n}_${k} failed 3 times in a row: connect ECONNREFUSED after 5000 ms.`,
      runbook_url: 'https://runbooks.example.com/uptime/check-down',
    },
    startsAt: STARTS_AT,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=uptime_check_success%7Bcheck%3D%22x%22%7D+%3D%3D+0&g0.tab=1',
    // Alertmanager always sends one; its value only has to be unique per label set here.
    fingerprint: (n * ALERTS_PER_REQUEST + k).toString(16).padStart(16, '0'),
  }));
  return JSON.stringify({
    receiver: 'vigil',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'UptimeCheckDown' },
    commonLabels: { alertname: 'UptimeCheckDown', job: 'vigil-prober', component: 'backend' },
    commonAnnotations: { runbook_url: 'https://runbooks.example.com/uptime/check-down' },
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="UptimeCheckDown"}',
    truncatedAlerts: 0,
  });
}

// ---- closed-loop load generator ----

/** Notification `n` as a webhook request. */
function notification(n) {
  return {
    path: '/api/v1/alertmanager',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload(n),
  };
}

async function send(pool, n) {
  const started = performance.now();
  const { statusCode, body } = await pool.request(notification(n));
  await body.text();
  return { statusCode, ms: performance.now() - started };
}

/** `count` requests, `concurrency` at a time, not measured: JIT, connections, the SQLite page cache. */
async function warmUp(url, { concurrency, count, firstN }) {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  let next = firstN;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < firstN + count) await send(pool, next++);
    }),
  );
  await pool.close();
  return next;
}

/**
 * One measured round: `concurrency` workers each send the next request as soon as the previous answer is in, until
 * time or count; requests are numbered from `firstN`. Also measures the server process's CPU (all its threads).
 */
async function load(server, { concurrency, durationMs, maxRequests, firstN }) {
  const pool = new Pool(server.url, { connections: concurrency, pipelining: 1 });
  let next = firstN;
  const latencies = [];
  let errors = 0;
  const cpuBefore = cpuSeconds(server.pid);
  const measuredStart = performance.now();
  const deadline = measuredStart + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && latencies.length + errors < maxRequests) {
        const { statusCode, ms } = await send(pool, next++);
        if (statusCode === 200) latencies.push(ms);
        else errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - measuredStart) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  await pool.close();
  return {
    latencies,
    errors,
    next,
    reqPerSec: latencies.length / seconds,
    cpuMsPerRequest: (cpu * 1000) / latencies.length,
  };
}

/** `rate` notifications a second for `durationMs`, numbered from `firstN`; each answer time counts from when it was due. */
async function fixedRate(url, { rate, durationMs, firstN }) {
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  const inFlight = new Set();
  let n = firstN;
  const sent = await pace(rate, durationMs, (plannedAt) => {
    const request = pool
      .request(notification(n++))
      .then(async ({ statusCode, body }) => {
        await body.text();
        if (statusCode === 200) latencies.push(performance.now() - plannedAt);
        else errors += 1;
      })
      .catch(() => (errors += 1))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  });
  await Promise.all(inFlight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { sent, errors, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) };
}

// ---- main ----

async function main() {
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds ?? (values.quick ? 3 : 5));
  const seconds = Number(values.seconds ?? (values.quick ? 1 : 4));
  /** The open-loop phase at FIXED_RATE, per server. */
  const fixedSeconds = values.quick ? 3 : 10;
  const options = { concurrency, durationMs: seconds * 1000, maxRequests: values.quick ? 20_000 : 200_000 };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vigil-bench-'));
  const kinds = ['bare', 'receiver'];
  const servers = {};
  const results = {};
  try {
    for (const kind of kinds) {
      servers[kind] = await startChild(kind, kind === 'receiver' ? dataDir : undefined);
      results[kind] = { rounds: [], next: await warmUp(servers[kind].url, { concurrency, count: 1_000, firstN: 0 }) };
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const measured = await load(servers[kind], { ...options, firstN: results[kind].next });
        results[kind].rounds.push(measured);
        results[kind].next = measured.next;
      }
    }
    for (const kind of kinds) {
      const fixed = await fixedRate(servers[kind].url, {
        rate: FIXED_RATE,
        durationMs: fixedSeconds * 1000,
        firstN: results[kind].next,
      });
      results[kind].fixed = fixed;
      results[kind].next += fixed.sent;
    }
    results.stored = await storedAlerts(servers.receiver.url);
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  report(results, { ...options, rounds }, seconds);
}

async function storedAlerts(url) {
  const response = await fetch(`${url}/api/v1/alerts/summary`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return (await response.json()).total;
}

/** One server's rounds together: median throughput and CPU per request, answer times over every round. */
function summarise(server) {
  const latencies = server.rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
  return {
    reqPerSec: median(server.rounds.map((round) => round.reqPerSec)),
    cpuMsPerRequest: median(server.rounds.map((round) => round.cpuMsPerRequest)),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    requests: latencies.length,
    errors: server.rounds.reduce((sum, round) => sum + round.errors, 0),
  };
}

function report(results, options, seconds) {
  const { stored } = results;
  const bare = summarise(results.bare);
  const receiver = summarise(results.receiver);
  const ratios = results.receiver.rounds.map((round, index) => round.reqPerSec / results.bare.rounds[index].reqPerSec);
  const ratio = median(ratios);
  const line = (name, r) =>
    `${name.padEnd(34)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s ${(r.reqPerSec * ALERTS_PER_REQUEST).toFixed(0).padStart(7)} alerts/s` +
    `   CPU ${r.cpuMsPerRequest.toFixed(3)} ms/req   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (${r.requests} ok, ${r.errors} errors)`;
  const fixedLine = (name, r) =>
    `${name.padEnd(34)} at ${FIXED_RATE}/s: p50 ${fmt.ms(r.fixed.p50)}, p99 ${fmt.ms(r.fixed.p99)}, max ${fmt.ms(r.fixed.max)} (${r.fixed.sent} sent, ${r.fixed.errors} errors)`;
  const sent = results.receiver.next;
  const out = [
    `webhook ingest, ${ALERTS_PER_REQUEST} alerts (~3 KB) per request, concurrency ${options.concurrency}, ` +
      `${options.rounds} alternating rounds of ${seconds}s per server (medians), Node ${process.version}`,
    line('bare express + express.json', bare),
    line('vigil receiver (durable, SQLite)', receiver),
    `receiver / bare: throughput ${ratio.toFixed(2)}x (rounds: ${ratios.map((each) => each.toFixed(2)).join(' ')}), ` +
      `CPU per request ${(receiver.cpuMsPerRequest / bare.cpuMsPerRequest).toFixed(2)}x, p50 ${(receiver.p50 / bare.p50).toFixed(2)}x, p99 ${(receiver.p99 / bare.p99).toFixed(2)}x`,
    fixedLine('bare express + express.json', results.bare),
    fixedLine('vigil receiver (durable, SQLite)', results.receiver),
    `alerts stored by the receiver: ${stored} (expected ${sent * ALERTS_PER_REQUEST} from ${sent} requests incl. warm-up)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  goal({
    name: 'ingest throughput',
    figure: `${receiver.reqPerSec.toFixed(0)} req/s`,
    baseline: `bare express ${bare.reqPerSec.toFixed(0)} req/s`,
    ratio,
    target: '>= 0.5x bare express (median of the rounds)',
    pass: ratio >= 0.5,
  });
  goal({
    name: `ingest p99 at ${FIXED_RATE} notifications/s`,
    figure: fmt.ms(results.receiver.fixed.p99),
    baseline: `bare express ${fmt.ms(results.bare.fixed.p99)}`,
    ratio: results.receiver.fixed.p99 / results.bare.fixed.p99,
    target: '< 50 ms',
    pass: results.receiver.fixed.p99 < 50 && results.receiver.fixed.errors === 0,
  });
  if (receiver.errors > 0 || results.receiver.fixed.errors > 0 || stored !== sent * ALERTS_PER_REQUEST)
    process.exitCode = 1;
}

// Last, once every constant above is initialised.
if (values.serve !== undefined) await serve(values.serve, values['data-dir']);
else await main();
