// Sustained webhook ingest: the Vigil receiver (durable write before every 200, SQLite WAL, synchronous=NORMAL)
// against a bare express app that parses the same payloads and answers 200, measured in the same run with the same
// closed-loop load generator. The receiver runs twice: with no notification routes (`routes: []`: nothing enqueued),
// and with the outbox on (critical groups routed to Slack: every accepted notification writes an outbox job in its
// transaction). During the outbox receiver's rounds the local Slack webhook (lib/delivery-sinks.mjs) holds its
// answers, so the worker's few sends in flight wait and the round measures ingest with the outbox written; the sink
// then answers and the backlog is drained before the next round. What sending costs beside ingest is measured by
// delivery.mjs (the receiver's CPU per group, with Slack and email).
// Each server runs in its own child process so the load generator does not share its event loop. All stay up for the
// whole run and are measured in mirrored pairs of rounds (bare, receiver, outbox, then outbox, receiver, bare), so a
// drift in the machine's speed within a round falls on all alike; the throughput ratio is the geometric mean of the
// rounds' ratios over whole pairs (a median of an odd number of rounds took the position of the even rounds: the
// outbox receiver's ratio was 0.40-0.47 where it ran last and 0.76-0.89 where it ran first, in one run). Before
// each round the outbox receiver's backlog is drained (every accepted notification received by the Slack sink), so
// its worker's sending falls in its own rounds only. Prints requests and alerts per second, each server's CPU per
// request, p50/p99 answer times and the ratios; then, for each server, the answer times at a fixed 500
// notifications/s (open loop: each request's time counts from when it was due).
//
//   npm run build && node bench/ingest.mjs [--quick] [--concurrency 32] [--rounds 6] [--seconds 4] [--cpu-prof DIR]
//   (--rounds: rounded up to whole pairs)
//   (--seconds: per server and round; --cpu-prof: each server writes a CPU profile into DIR/bare and DIR/receiver)
//
// Only 127.0.0.1 is used. The payload is an Alertmanager v4 notification of ~3 KB with 5 alerts; every request
// carries 5 new alerts (new label values), so each one is a real insert, not a dedup hit.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { cpuSeconds, fmt, goal, median, pace, quantile, startWorker, untilDoneOrStalled } from './lib/common.mjs';
import { criticalRouteConfig, serveReceiver } from './lib/receiver.mjs';

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
    'slack-url': { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});

// ---- servers (child processes) ----

async function serve(kind, dataDir, slackUrl) {
  const env = { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN };
  const server =
    kind === 'bare'
      ? await serveBare()
      : kind === 'receiver'
        ? await serveReceiver(dataDir, { env, configYml: 'notifications:\n  routes: []\n' })
        : await serveReceiver(dataDir, {
            env: { ...env, SLACK_WEBHOOK_URL: slackUrl },
            configYml: criticalRouteConfig(['slack']),
          });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await server.close();
  process.exit(0);
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

async function startChild(kind, { dataDir, slackUrl } = {}) {
  const profile =
    values['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.join(values['cpu-prof'], kind)];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      SELF,
      '--serve',
      kind,
      ...(dataDir ? ['--data-dir', dataDir] : []),
      ...(slackUrl ? ['--slack-url', slackUrl] : []),
    ],
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

/** The three servers, in the order of the even rounds. */
const KINDS = ['bare', 'receiver', 'outbox'];
/** Draining the outbox receiver's backlog gives up after this long without a new message at the Slack sink. */
const DRAIN_STALL_MS = 20_000;

/** Requests a server answered 200 so far: each one the outbox receiver accepted is one Slack message to come. */
function accepted(result) {
  const errors = result.rounds.reduce((sum, round) => sum + round.errors, 0) + (result.fixed?.errors ?? 0);
  return result.next - errors;
}

/**
 * Waits until the Slack sink has received a message for every notification the outbox receiver accepted: its worker
 * sends the backlog of a round after the round, and must not do so in the next server's round.
 */
async function drainOutbox(sinks, result) {
  await sinks.ask({ ask: 'release' });
  const expected = accepted(result);
  const { answer, ms, stalled } = await untilDoneOrStalled(
    async () => {
      const { slack } = await sinks.ask({ ask: 'counts' });
      return { count: slack, done: slack >= expected };
    },
    { stallMs: DRAIN_STALL_MS },
  );
  result.drainMs.push(ms);
  result.received = answer.count;
  if (stalled) console.log(`outbox drain stalled: ${answer.count} of ${expected} Slack messages received`);
}

async function main() {
  const concurrency = Number(values.concurrency);
  const rounds = 2 * Math.ceil(Number(values.rounds ?? (values.quick ? 2 : 6)) / 2);
  const seconds = Number(values.seconds ?? (values.quick ? 1 : 4));
  /** The open-loop phase at FIXED_RATE, per server. */
  const fixedSeconds = values.quick ? 2 : 10;
  const warmUpRequests = values.quick ? 500 : 1_000;
  const options = { concurrency, durationMs: seconds * 1000, maxRequests: values.quick ? 20_000 : 200_000 };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vigil-bench-'));
  const sinks = await startWorker('delivery-sinks.mjs');
  const servers = {};
  const results = {};
  // The drain writes a job's result per message sent (thousands), and the outbox receiver's checkpointer copies
  // those pages to the database file for a few seconds after: the pause keeps that aftermath of sending, like the
  // sending itself, out of every server's round.
  const settlePauseMs = values.quick ? 1_000 : 3_000;
  const settle = async () => {
    await drainOutbox(sinks, results.outbox);
    await delay(settlePauseMs);
  };
  try {
    for (const kind of KINDS) {
      const serverDir = kind === 'bare' ? undefined : path.join(dataDir, kind);
      if (serverDir) await mkdir(serverDir);
      servers[kind] = await startChild(kind, { dataDir: serverDir, slackUrl: sinks.ready.slackUrl });
      const next = await warmUp(servers[kind].url, { concurrency, count: warmUpRequests, firstN: 0 });
      results[kind] = { rounds: [], next, drainMs: [] };
    }
    await settle();
    for (let round = 0; round < rounds; round += 1) {
      for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
        if (kind === 'outbox') await sinks.ask({ ask: 'hold' });
        const measured = await load(servers[kind], { ...options, firstN: results[kind].next });
        results[kind].rounds.push(measured);
        results[kind].next = measured.next;
        if (kind === 'outbox') await settle();
      }
    }
    for (const kind of KINDS) {
      if (kind === 'outbox') await sinks.ask({ ask: 'hold' });
      const fixed = await fixedRate(servers[kind].url, {
        rate: FIXED_RATE,
        durationMs: fixedSeconds * 1000,
        firstN: results[kind].next,
      });
      results[kind].fixed = fixed;
      results[kind].next += fixed.sent;
      if (kind === 'outbox') await settle();
    }
    for (const kind of ['receiver', 'outbox']) results[kind].stored = await storedAlerts(servers[kind].url);
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await sinks.stop();
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

const NAMES = {
  bare: 'bare express + express.json',
  receiver: 'vigil receiver (durable, SQLite)',
  outbox: 'vigil receiver + outbox (sends held)',
};

/** The geometric mean of the rounds' throughput ratios of `kind` to `to` (whole mirrored pairs), and the ratios. */
function roundRatios(results, kind, to) {
  const ratios = results[kind].rounds.map((round, index) => round.reqPerSec / results[to].rounds[index].reqPerSec);
  return { ratio: Math.exp(ratios.reduce((sum, ratio) => sum + Math.log(ratio), 0) / ratios.length), ratios };
}

function report(results, options, seconds) {
  const summary = Object.fromEntries(KINDS.map((kind) => [kind, summarise(results[kind])]));
  const line = (kind) => {
    const r = summary[kind];
    return (
      `${NAMES[kind].padEnd(34)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s ${(r.reqPerSec * ALERTS_PER_REQUEST).toFixed(0).padStart(7)} alerts/s` +
      `   CPU ${r.cpuMsPerRequest.toFixed(3)} ms/req   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (${r.requests} ok, ${r.errors} errors)`
    );
  };
  const ratioLine = (kind, to) => {
    const { ratio, ratios } = roundRatios(results, kind, to);
    const [a, b] = [summary[kind], summary[to]];
    return (
      `${kind} / ${to}: throughput ${ratio.toFixed(2)}x (rounds: ${ratios.map((each) => each.toFixed(2)).join(' ')}), ` +
      `CPU per request ${(a.cpuMsPerRequest / b.cpuMsPerRequest).toFixed(2)}x, p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`
    );
  };
  const fixedLine = (kind) => {
    const { fixed } = results[kind];
    return `${NAMES[kind].padEnd(34)} at ${FIXED_RATE}/s: p50 ${fmt.ms(fixed.p50)}, p99 ${fmt.ms(fixed.p99)}, max ${fmt.ms(fixed.max)} (${fixed.sent} sent, ${fixed.errors} errors)`;
  };
  const storedLine = (kind) => {
    const sent = results[kind].next;
    return `alerts stored by ${NAMES[kind]}: ${results[kind].stored} (expected ${sent * ALERTS_PER_REQUEST} from ${sent} requests incl. warm-up)`;
  };
  const { outbox } = results;
  const drains = outbox.drainMs;
  const out = [
    `webhook ingest, ${ALERTS_PER_REQUEST} alerts (~3 KB) per request, concurrency ${options.concurrency}, ` +
      `${options.rounds} alternating rounds of ${seconds}s per server (medians), Node ${process.version}`,
    ...KINDS.map(line),
    ratioLine('receiver', 'bare'),
    ratioLine('outbox', 'bare'),
    ratioLine('outbox', 'receiver'),
    ...KINDS.map(fixedLine),
    storedLine('receiver'),
    storedLine('outbox'),
    `Slack messages received from the outbox receiver: ${outbox.received} (expected ${accepted(outbox)}, one per ` +
      `accepted notification); backlog drained after each of its rounds in ${fmt.ms(median(drains))} median, ${fmt.ms(Math.max(...drains))} max`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  for (const [kind, suffix] of [
    ['receiver', ''],
    ['outbox', ' with the outbox on'],
  ]) {
    goal({
      name: `ingest throughput${suffix}`,
      figure: `${summary[kind].reqPerSec.toFixed(0)} req/s`,
      baseline: `bare express ${summary.bare.reqPerSec.toFixed(0)} req/s`,
      ratio: roundRatios(results, kind, 'bare').ratio,
      target: '>= 0.5x bare express (geometric mean of the rounds)',
      pass: roundRatios(results, kind, 'bare').ratio >= 0.5,
    });
    goal({
      name: `ingest p99 at ${FIXED_RATE} notifications/s${suffix}`,
      figure: fmt.ms(results[kind].fixed.p99),
      baseline: `bare express ${fmt.ms(results.bare.fixed.p99)}`,
      ratio: results[kind].fixed.p99 / results.bare.fixed.p99,
      target: '< 50 ms',
      pass: results[kind].fixed.p99 < 50 && results[kind].fixed.errors === 0,
    });
  }
  const wrong = ['receiver', 'outbox'].some(
    (kind) =>
      summary[kind].errors > 0 ||
      results[kind].fixed.errors > 0 ||
      results[kind].stored !== results[kind].next * ALERTS_PER_REQUEST,
  );
  if (wrong || outbox.received !== accepted(outbox)) process.exitCode = 1;
}

// Last, once every constant above is initialised.
if (values.serve !== undefined) await serve(values.serve, values['data-dir'], values['slack-url']);
else await main();
