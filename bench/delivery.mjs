// End-to-end delivery: from the webhook's 200 to the message arriving at a local Slack webhook and a local SMTP
// server. A Vigil receiver (`ReceiverRole` as `vigil receiver` runs it, SQLite, in its own process) routes critical
// groups to Slack and to one email address; the benchmark sends it RATE new alert groups a second (one critical alert
// each, a unique `check` label per group) as Alertmanager v4 webhooks, and the sinks (lib/delivery-sinks.mjs, a
// process of their own) stamp each message as it arrives and find its group by that label. Prints per channel the
// p50/p99 latency from the 200 to the message, the messages lost (accepted groups never received after a drain
// period) and any sent twice. The baseline, measured first in the same run, is the same rate of messages sent
// straight through Vigil's own Slack and email channels, with no outbox, from the benchmark's process: what the
// transport alone costs.
// A second phase measures what the diagnosis adds before a message goes: Vigil as `vigil start` runs it (prober and
// receiver on one store), its STORE_CHECKS HTTP checks refused for the last minutes of an hour of stored history (and
// still probed, refused, every 10 s), so each alert's
// diagnosis reads the check's results, incidents and the checks failing with it from the store; the same load of
// groups names those checks. Its p99 less the first phase's (whose receiver has only the alerts' labels, a diagnosis
// of microseconds) is the store diagnosis's added latency.
// Each phase's Vigil first gets WARMUP_SECONDS of the same load, not measured: a fresh process compiles its hot paths
// and opens its SMTP connections in its first second, which held that second's messages for up to 100 ms. That
// happens once per start; counted, its hundred messages were under 2 % of the first phase's 6,000 but 5 % of the
// second phase's 2,000, whose p99 is their 20 slowest: the difference then measured the second phase's shorter run
// more than the diagnosis.
//
//   npm run build && node bench/delivery.mjs [--quick] [--rate 100] [--seconds 60] [--profile DIR]
//
// --profile DIR writes a CPU profile of each phase's Vigil process (node --cpu-prof) into DIR.
//
// Only 127.0.0.1 is used.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { cpuSeconds, fmt, goal, pace, quantile, startWorker, tempDir, untilDoneOrStalled } from './lib/common.mjs';
import { criticalRouteConfig } from './lib/receiver.mjs';

const ADMIN_TOKEN = 'bench-admin-token';
const RECIPIENT = 'oncall@bench.example';
const SENDER = 'Vigil <vigil@bench.example>';
/** What a person paged would not notice: Alertmanager itself waits group_wait (30 s by default) before it notifies. */
const P99_GOAL_MS = 5_000;
/** The baseline's groups are numbered from here, so its messages never pass for the receiver's. */
const BASELINE_FIRST = 1_000_000;
/** The warm-ups' groups are numbered from here (first phase) and from WARMUP_FIRST * 2 (second phase). */
const WARMUP_FIRST = 2_000_000;
const CHANNELS = ['slack', 'email'];
/** The second phase's failing checks; its groups name them in turn. */
const STORE_CHECKS = 100;
/** What the store's diagnosis may add to a message's p99. */
const DIAGNOSIS_GOAL_MS = 20;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string' },
    profile: { type: 'string' },
  },
});
/** How the phases' Vigil processes are started: profiled with --profile. */
const vigilNode = { nodeArgs: values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] };
const rate = Number(values.rate);
const seconds = Number(values.seconds ?? (values.quick ? 5 : 60));
const baselineSeconds = values.quick ? 2 : 10;
/** The second phase's groups are sent for `storeSeconds`, after an hour of its checks' history is stored. */
const storeSeconds = values.quick ? 3 : 20;
/** The load each phase's Vigil gets before the measured one. */
const warmupSeconds = values.quick ? 1 : 5;
const CHECK_INTERVAL_MS = 10_000;
const START_SETTLE_MS = 5_000;
const DOWN_MINUTES = 10;
/** The drain ends when every message is in, or after this long without a new one. */
const stallMs = values.quick ? 10_000 : 20_000;

const wallClock = () => performance.timeOrigin + performance.now();
const STARTS_AT = new Date(Date.now() - 60_000).toISOString();

// ---- payloads ----

/** `store`: the group names one of the second phase's checks (its `name` label still names the group). */
function labelsOf(n, store = false) {
  return {
    alertname: 'UptimeCheckDown',
    check: store ? `check_${n % STORE_CHECKS}` : `delivery_${n}`,
    ...(store ? { name: `delivery_${n}` } : {}),
    severity: 'critical',
    instance: `https://service-${n % 50}.example.com/health`,
    job: 'vigil-prober',
    component: 'backend',
  };
}

function annotationsOf(n) {
  return {
    summary: `Check delivery_${n} is down`,
    description: `The synthetic check delivery_${n} failed 3 times in a row: connect ECONNREFUSED after 5000 ms.`,
    runbook_url: 'https://runbooks.example.com/uptime/check-down',
  };
}

/** Group `n` as Alertmanager sends it: a group of its own (its key names the check) with one firing alert. */
function webhookPayload(n, store) {
  const labels = labelsOf(n, store);
  return JSON.stringify({
    receiver: 'vigil',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: annotationsOf(n),
        startsAt: STARTS_AT,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=uptime_check_success+%3D%3D+0&g0.tab=1',
        fingerprint: n.toString(16).padStart(16, '0'),
      },
    ],
    groupLabels: { alertname: labels.alertname, check: labels.check },
    commonLabels: labels,
    commonAnnotations: annotationsOf(n),
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="UptimeCheckDown", group="delivery_${n}"}`,
    truncatedAlerts: 0,
  });
}

/** Group `n` as the channels see it, for the baseline's direct sends. */
function notificationOf(n) {
  const labels = labelsOf(n);
  const annotations = annotationsOf(n);
  const startsAt = Date.parse(STARTS_AT);
  return {
    groupKey: `{}:{check="${labels.check}"}`,
    stateKey: '1:firing',
    status: 'firing',
    severity: 'critical',
    groupLabels: { alertname: labels.alertname, check: labels.check },
    commonLabels: labels,
    commonAnnotations: annotations,
    alerts: [
      {
        id: `alert-${n}`,
        status: 'firing',
        alertname: labels.alertname,
        severity: labels.severity,
        checkId: labels.check,
        labels,
        annotations,
        startsAt,
        links: { runbook: annotations.runbook_url },
      },
    ],
    acceptedAt: Date.now(),
  };
}

// ---- the two runs ----

/**
 * The baseline: groups sent straight through Vigil's Slack and email channels at `rate`, no receiver, no outbox.
 * Answers each group's send time (the time the messages' latency counts from) by number.
 */
async function directSends(sinks, firstN) {
  const [{ createSlackChannel }, { createEmailChannel }] = await Promise.all([
    import('../dist/notify/slack/slack-channel.js'),
    import('../dist/notify/email/email-channel.js'),
  ]);
  const slack = createSlackChannel({ webhookUrl: sinks.ready.slackUrl });
  const email = createEmailChannel({ host: '127.0.0.1', port: sinks.ready.smtpPort, secure: false, from: SENDER });
  const startedAt = new Map();
  const outcomes = [];
  let n = firstN;
  const inFlight = new Set();
  const sent = await pace(rate, baselineSeconds * 1000, () => {
    const group = n++;
    const notification = notificationOf(group);
    startedAt.set(group, wallClock());
    const signal = AbortSignal.timeout(30_000);
    const sends = Promise.all([
      slack.send(slack.render(notification), { signal }),
      email.send(email.render(notification, RECIPIENT), { signal }),
    ]).then((each) => outcomes.push(...each));
    inFlight.add(sends);
    void sends.finally(() => inFlight.delete(sends));
  });
  await Promise.all(inFlight);
  const failed = outcomes.filter((outcome) => outcome.kind !== 'sent');
  if (failed.length > 0) throw new Error(`the baseline's direct sends failed: ${JSON.stringify(failed[0])}`);
  return { sent, startedAt };
}

/** Groups sent to the receiver at `rate`; answers when each group's 200 came back, by number, and the answer times. */
async function webhooks(url, firstN, { store = false, durationMs = seconds * 1000 } = {}) {
  const pool = new Pool(url, { connections: 32, pipelining: 1 });
  const acceptedAt = new Map();
  const answerMs = [];
  let errors = 0;
  let n = firstN;
  const inFlight = new Set();
  const sent = await pace(rate, durationMs, (plannedAt) => {
    const group = n++;
    const request = pool
      .request({
        path: '/api/v1/alertmanager',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: webhookPayload(group, store),
      })
      .then(async ({ statusCode, body }) => {
        await body.text();
        if (statusCode !== 200) return void (errors += 1);
        acceptedAt.set(group, wallClock());
        answerMs.push(performance.now() - plannedAt);
      })
      .catch(() => (errors += 1))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  });
  await Promise.all(inFlight);
  await pool.close();
  answerMs.sort((a, b) => a - b);
  return { sent, errors, acceptedAt, answerMs };
}

/** The load of a phase for `warmupSeconds`, its messages awaited and not measured. */
async function warmUp(sinks, url, firstN, { store = false } = {}) {
  const warm = await webhooks(url, firstN, { store, durationMs: warmupSeconds * 1000 });
  await drain(sinks, new Set(warm.acceptedAt.keys()));
}

/** Waits until the sinks hold a message per channel for every group in `expected`, or until they stall. */
async function drain(sinks, expected) {
  const { answer, ms, stalled } = await untilDoneOrStalled(
    async () => {
      const received = await sinks.ask({ ask: 'received' });
      const complete = CHANNELS.every((channel) => {
        const groups = new Set(received.filter(([c, n]) => c === channel && expected.has(n)).map(([, n]) => n));
        return groups.size === expected.size;
      });
      return { count: received.length, done: complete, received };
    },
    { stallMs, everyMs: 250 },
  );
  return { received: answer.received, stalled, ms };
}

/** Per channel: latency of each group's first message from `from` (wall clock by group), lost and duplicate counts. */
function perChannel(received, from) {
  return Object.fromEntries(
    CHANNELS.map((channel) => {
      const first = new Map();
      let messages = 0;
      for (const [c, n, at] of received) {
        if (c !== channel || !from.has(n)) continue;
        messages += 1;
        if (!first.has(n)) first.set(n, at);
      }
      const latencies = [...first].map(([n, at]) => at - from.get(n)).sort((a, b) => a - b);
      return [
        channel,
        {
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          max: latencies.at(-1) ?? NaN,
          lastAt: first.size === 0 ? NaN : Math.max(...first.values()),
          lost: from.size - first.size,
          twice: messages - first.size,
        },
      ];
    }),
  );
}

/** The receiver's own account of its deliveries: the notification and outbox lines of its /metrics. */
async function deliveryMetrics(url) {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => /^vigil_(notifications_total|outbox_jobs)\b/.test(line) && !/ 0$/.test(line));
}

// ---- main ----

async function main() {
  const sinks = await startWorker('delivery-sinks.mjs');
  const dir = tempDir('delivery');
  let receiver;
  try {
    const baseline = await directSends(sinks, BASELINE_FIRST);
    const baselineDrained = await drain(sinks, new Set(baseline.startedAt.keys()));
    const direct = perChannel(baselineDrained.received, baseline.startedAt);

    const env = {
      VIGIL_ADMIN_TOKEN: ADMIN_TOKEN,
      SLACK_WEBHOOK_URL: sinks.ready.slackUrl,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sinks.ready.smtpPort),
      ALERT_SENDER_EMAIL: SENDER,
      ALERT_EMAIL_RECIPIENTS: RECIPIENT,
    };
    receiver = await startWorker(
      'receiver-host.mjs',
      [dir.dir, JSON.stringify({ env, configYml: criticalRouteConfig(CHANNELS) })],
      vigilNode,
    );
    const url = `http://127.0.0.1:${receiver.ready.port}`;
    await warmUp(sinks, url, WARMUP_FIRST);
    const cpuBefore = cpuSeconds(receiver.pid);
    const load = await webhooks(url, 0);
    const drained = await drain(sinks, new Set(load.acceptedAt.keys()));
    const cpu = cpuSeconds(receiver.pid) - cpuBefore;
    const metrics = await deliveryMetrics(url);
    const vigil = perChannel(drained.received, load.acceptedAt);
    await receiver.stop();
    receiver = undefined;
    const stored = await storePhase(sinks, env, load.sent + 1);
    report({ direct, baselineSent: baseline.sent, load, drained, vigil, cpu, metrics, stored });
  } finally {
    await receiver?.stop();
    await sinks.stop();
    dir.remove();
  }
}

/** Vigil as `vigil start` runs it, its checks failing for a while, then groups about them: their latency. */
async function storePhase(sinks, env, firstN) {
  const config = tempDir('delivery-store');
  let vigil;
  try {
    const checks = Array.from(
      { length: STORE_CHECKS },
      (_, k) =>
        `  - {id: check_${k}, endpoint: {url: "http://127.0.0.1:9/health"}, component: backend, service: svc_${k % 10}}`,
    );
    writeFileSync(
      path.join(config.dir, 'checks.yml'),
      `defaults:\n  interval: ${CHECK_INTERVAL_MS / 1000}s\n  timeout: 1s\nchecks:\n${checks.join('\n')}\n`,
    );
    writeFileSync(path.join(config.dir, 'config.yml'), criticalRouteConfig(CHANNELS));
    const dataDir = path.join(config.dir, 'data');
    await seedHistory(dataDir);
    vigil = await startWorker('start-host.mjs', [config.dir, dataDir, JSON.stringify({ env })], vigilNode);
    // Past the start's own work (the first round of probes, the SLA's cold refresh over the seeded hour).
    await delay(START_SETTLE_MS);
    const url = `http://127.0.0.1:${vigil.ready.port}`;
    await warmUp(sinks, url, WARMUP_FIRST * 2, { store: true });
    const cpuBefore = cpuSeconds(vigil.pid);
    const load = await webhooks(url, firstN, { store: true, durationMs: storeSeconds * 1000 });
    const drained = await drain(sinks, new Set(load.acceptedAt.keys()));
    const cpu = cpuSeconds(vigil.pid) - cpuBefore;
    const diagnosed = await diagnosisSources(url, ADMIN_TOKEN);
    return { load, drained, vigil: perChannel(drained.received, load.acceptedAt), diagnosed, cpu };
  } finally {
    await vigil?.stop();
    config.remove();
  }
}

/**
 * The hour before the phase, as the prober would have stored it: every check healthy, then refused for the last
 * DOWN_MINUTES (an open incident each). The prober then goes on probing them, refused, every CHECK_INTERVAL_MS.
 */
async function seedHistory(dataDir) {
  const { SqliteStore } = await import('../dist/store/sqlite-store.js');
  mkdirSync(dataDir, { recursive: true });
  const store = await SqliteStore.open(path.join(dataDir, 'vigil.db'));
  const now = Date.now();
  const downFrom = now - DOWN_MINUTES * 60_000;
  const message = 'connect ECONNREFUSED 127.0.0.1:9';
  try {
    const results = [];
    for (let k = 0; k < STORE_CHECKS; k++) {
      for (let at = now - 3_600_000 + k * 100; at < now; at += CHECK_INTERVAL_MS) {
        const down = at >= downFrom;
        results.push({
          checkId: `check_${k}`,
          status: down ? 'down' : 'healthy',
          ...(down ? { reason: 'connect', message } : { message: 'OK', httpStatus: 200 }),
          startedAt: at,
          finishedAt: at + (down ? 1 : 40),
          durationMs: down ? 1 : 40,
          phases: down ? { connect: 1 } : { connect: 1, processing: 38, transfer: 1 },
          consecutiveFailures: down ? Math.floor((at - downFrom) / CHECK_INTERVAL_MS) + 1 : 0,
          inMaintenance: false,
        });
      }
      await store.saveIncident({
        id: `seeded_${k}`,
        checkId: `check_${k}`,
        openedAt: downFrom,
        firstReason: 'connect',
        firstMessage: message,
        lastMessage: message,
        failures: Math.floor((now - downFrom) / CHECK_INTERVAL_MS),
        lastFailureAt: now - CHECK_INTERVAL_MS,
      });
    }
    await store.insertResults(results);
  } finally {
    await store.close();
  }
}

/** How the phase's last alerts were diagnosed (the rule that led, as the API shows it): proof the store was read. */
async function diagnosisSources(url, token) {
  const response = await fetch(`${url}/api/v1/alerts?limit=20`, { headers: { authorization: `Bearer ${token}` } });
  const { alerts } = await response.json();
  const summaries = new Map();
  for (const alert of alerts) {
    const summary = (alert.diagnosis?.summary ?? 'none').replace(/check_\d+/g, 'check_N').slice(0, 60);
    summaries.set(summary, (summaries.get(summary) ?? 0) + 1);
  }
  return [...summaries].map(([summary, count]) => `${count} × ${summary}`);
}

function report({ direct, baselineSent, load, drained, vigil, cpu, metrics, stored }) {
  const accepted = load.acceptedAt.size;
  const lastAccepted = Math.max(...load.acceptedAt.values());
  const out = [
    `delivery end to end, ${rate} new groups/s for ${seconds} s (one critical alert each) → Slack + 1 email address, ` +
      `receiver on SQLite, Node ${process.version}`,
    `webhooks: ${load.sent} sent, ${accepted} answered 200, ${load.errors} errors; answer p50 ${fmt.ms(quantile(load.answerMs, 0.5))}, ` +
      `p99 ${fmt.ms(quantile(load.answerMs, 0.99))}; receiver CPU ${((cpu * 1000) / accepted).toFixed(2)} ms per group ` +
      `(${(cpu / (seconds + drained.ms / 1000)).toFixed(3)} core over the run and drain)`,
    ...CHANNELS.map((channel) => {
      const v = vigil[channel];
      const d = direct[channel];
      return (
        `${channel.padEnd(6)} 200 → received: p50 ${fmt.ms(v.p50)}, p99 ${fmt.ms(v.p99)}, max ${fmt.ms(v.max)}; ` +
        `lost ${v.lost}, sent twice ${v.twice}, last message ${fmt.ms(v.lastAt - lastAccepted)} after the last 200 ` +
        `| direct send (${baselineSent} groups at ${rate}/s): p50 ${fmt.ms(d.p50)}, p99 ${fmt.ms(d.p99)}, lost ${d.lost}`
      );
    }),
    `drain: ${drained.stalled ? `stalled (nothing new for ${stallMs / 1000} s)` : 'complete'} ${fmt.ms(drained.ms)} after the last 200`,
    'receiver metrics at the end (non-zero):',
    ...metrics.map((line) => `  ${line}`),
    `diagnosed from the store (vigil start, ${STORE_CHECKS} checks refused for ${DOWN_MINUTES} min, then ${rate} groups/s ` +
      `for ${storeSeconds} s naming them): ${stored.load.acceptedAt.size} of ${stored.load.sent} answered 200; ` +
      `Vigil CPU ${((stored.cpu * 1000) / stored.load.acceptedAt.size).toFixed(2)} ms per group (prober and ` +
      `receiver, all threads; ${(stored.cpu / (storeSeconds + stored.drained.ms / 1000)).toFixed(3)} core)`,
    ...CHANNELS.map((channel) => {
      const v = stored.vigil[channel];
      return (
        `${channel.padEnd(6)} 200 → received: p50 ${fmt.ms(v.p50)}, p99 ${fmt.ms(v.p99)}, max ${fmt.ms(v.max)}; ` +
        `lost ${v.lost}, sent twice ${v.twice}`
      );
    }),
    `the last alerts' diagnoses: ${stored.diagnosed.join('; ')}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  for (const channel of CHANNELS) {
    const v = vigil[channel];
    const d = direct[channel];
    goal({
      name: `delivery p99 ${channel}, 200 → received at ${rate} groups/s`,
      figure: fmt.ms(v.p99),
      baseline: `direct send ${fmt.ms(d.p99)}`,
      ratio: v.p99 / d.p99,
      target: `<= ${P99_GOAL_MS / 1000} s`,
      pass: v.p99 <= P99_GOAL_MS,
    });
  }
  for (const channel of CHANNELS) {
    const added = stored.vigil[channel].p99 - vigil[channel].p99;
    goal({
      name: `diagnosis from the store: added p99 ${channel}, 200 → received`,
      figure: fmt.ms(added),
      baseline: `labels only p99 ${fmt.ms(vigil[channel].p99)}, store p99 ${fmt.ms(stored.vigil[channel].p99)}`,
      target: `< ${DIAGNOSIS_GOAL_MS} ms`,
      pass: added < DIAGNOSIS_GOAL_MS,
    });
  }
  const lost = CHANNELS.reduce((sum, channel) => sum + vigil[channel].lost + stored.vigil[channel].lost, 0);
  const twice = CHANNELS.reduce((sum, channel) => sum + vigil[channel].twice + stored.vigil[channel].twice, 0);
  goal({
    name: 'delivery: nothing lost or sent twice',
    figure: `lost ${lost}, twice ${twice} of ${(accepted + stored.load.acceptedAt.size) * CHANNELS.length} messages (${load.errors + stored.load.errors} webhook errors)`,
    target: '0 lost, 0 twice, every webhook 200',
    pass: lost === 0 && twice === 0 && load.errors + stored.load.errors === 0,
  });
  if (lost > 0 || twice > 0 || load.errors + stored.load.errors > 0) process.exitCode = 1;
}

await main();
