// The rule diagnosis per alert: evidence gathered from the store (gatherEvidence) and the rules run over it
// (diagnoseWithRules), as the receiver does for each new alert state with no AI configured. A fresh SQLite store holds
// 1,000 checks of five types (HTTP, TCP, DNS, TLS, PostgreSQL) in 20 groups, several checks per host, and 30 days of
// history: incidents spread over the 30 days (0–10 closed ones per check) and, for the checks down now, an open one;
// raw results where the evidence reads them, the last 2 hours at each check's interval (30 s or 60 s) plus one
// result 30 days ago (the history's start). Two hosts are down with every check on them, and a few checks elsewhere,
// so alerts have checks failing beside them that share a host.
// Prints the p50/p99 time per alert over ALERTS alerts (half naming a check that is down now, 40 % a random check,
// 10 % a group), and the same for the baseline, measured in the same run and interleaved alert by alert: the bare
// SQL reads the evidence needs (the open incidents, then per check its newest results over the lookback, its
// incidents of the last 7 days and its first result) on a connection of its own, with no mapping and no rules.
//
//   npm run build && node bench/diagnosis.mjs [--quick]   (--quick: 300 alerts; the store is the same, written in
//   about 2 s)

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fmt, goal, quantile, tempDir } from './lib/common.mjs';

const { loadFormatted } = await import('../dist/app.js');
const { SqliteStore } = await import('../dist/store/sqlite-store.js');
const { gatherEvidence, diagnoseWithRules, ruleFindings } = await import('../dist/diagnosis/index.js');

const quick = process.argv.includes('--quick');
const CHECKS = 1_000;
const GROUPS = 20;
const HOSTS = 100;
const ALERTS = quick ? 300 : 2_000;
const WARM_UP = quick ? 50 : 200;
const GOAL_MS = 20;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 30;
/** Raw results written back this far: twice the evidence's default lookback (60 min). */
const RAW_MS = 2 * HOUR;
const LOOKBACK_MS = HOUR;
const INCIDENT_LOOKBACK_MS = 7 * DAY;
/** Every check on these hosts is down now, as when a host dies. */
const DEAD_HOSTS = [7, 42];
const NOW = Date.UTC(2026, 0, 31, 12, 30, 0);

/** A small seeded PRNG (mulberry32): the same store and the same alerts every run. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// ---- the checks ----

const TYPES = ['http', 'http', 'http', 'http', 'http', 'http', 'tcp', 'dns', 'tls', 'postgres'];
const hostOf = (index) => index % HOSTS;
const typeOf = (index) => TYPES[Math.floor(index / HOSTS) % TYPES.length];
const intervalOf = (index) => (index % 5 < 3 ? 30 * SECOND : 60 * SECOND);

function checkLine(index) {
  const host = `svc-${hostOf(index)}.bench.internal`;
  const common = `id: c${index}, name: "Check ${index}", interval: ${intervalOf(index) / SECOND}s, timeout: 5s`;
  switch (typeOf(index)) {
    case 'http':
      return `{${common}, endpoint: {url: "https://${host}/api/v${index % 3}/health"}}`;
    case 'tcp':
      return `{${common}, type: tcp, target: "${host}:6379"}`;
    case 'dns':
      return `{${common}, type: dns, target: "${host}", record_type: A}`;
    case 'tls':
      return `{${common}, type: tls, target: "${host}:443", min_days_remaining: 14}`;
    default:
      return `{${common}, type: postgres, target: "postgres://app:app-pw@${host}:5432/app", query: "SELECT 1"}`;
  }
}

/** 20 groups of 50 checks; each group its own component, five services. */
function loadChecks(configDir) {
  const lines = [];
  for (let group = 0; group < GROUPS; group++) {
    lines.push(
      `  - name: team_${group}`,
      `    component: comp_${group}`,
      `    service: svc_${group % 5}`,
      '    checks:',
    );
    for (let index = group; index < CHECKS; index += GROUPS) lines.push(`      - ${checkLine(index)}`);
  }
  writeFileSync(path.join(configDir, 'checks.yml'), `groups:\n${lines.join('\n')}\n`);
  writeFileSync(path.join(configDir, 'config.yml'), '');
  const loaded = loadFormatted(configDir, {});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.config.checks;
}

/** How a check of each type fails, as the prober would record it. */
function failureOf(index) {
  const host = `svc-${hostOf(index)}.bench.internal`;
  switch (typeOf(index)) {
    case 'http':
      return { reason: 'status_code', message: 'HTTP 503 Service Unavailable', httpStatus: 503 };
    case 'tcp':
      return { reason: 'connect', message: `connect ECONNREFUSED ${host}:6379` };
    case 'dns':
      return { reason: 'dns', message: `queryA ENOTFOUND ${host}` };
    case 'tls':
      return { reason: 'tls', message: `certificate has expired (${host}:443)` };
    default:
      return { reason: 'connect', message: `connect ECONNREFUSED ${host}:5432` };
  }
}

/** When each check down now went down: every check of a dead host, and every 97th check elsewhere. */
function downSince(index, rnd) {
  if (DEAD_HOSTS.includes(hostOf(index))) return NOW - (20 + hostOf(index)) * MINUTE;
  if (index % 97 === 5) return NOW - Math.floor(5 + rnd() * 85) * MINUTE;
  return undefined;
}

// ---- the store ----

function result(index, startedAt, downFrom, rnd) {
  const down = downFrom !== undefined && startedAt >= downFrom;
  const durationMs = down ? 4 + rnd() * 10 : 60 + rnd() * 40;
  return {
    checkId: `c${index}`,
    status: down ? 'down' : 'healthy',
    ...(down ? failureOf(index) : { message: 'OK', ...(typeOf(index) === 'http' ? { httpStatus: 200 } : {}) }),
    startedAt,
    finishedAt: startedAt + Math.round(durationMs),
    durationMs,
    phases: { dns: 1, connect: 3, processing: durationMs - 6, transfer: 2 },
    ...(typeOf(index) === 'tls' || typeOf(index) === 'http' ? { certExpiresAt: NOW + 40 * DAY } : {}),
    consecutiveFailures: down ? Math.floor((startedAt - downFrom) / intervalOf(index)) + 1 : 0,
    inMaintenance: false,
  };
}

async function write(store) {
  const rnd = random(23);
  let batch = [];
  let results = 0;
  const flush = async () => {
    await store.insertResults(batch);
    results += batch.length;
    batch = [];
  };
  let incidents = 0;
  let open = 0;
  for (let index = 0; index < CHECKS; index++) {
    const since = downSince(index, rnd);
    const interval = intervalOf(index);
    batch.push(result(index, NOW - HISTORY_DAYS * DAY + (index % 30) * SECOND, undefined, rnd));
    for (let at = NOW - RAW_MS + (index % 30) * SECOND; at < NOW; at += interval) {
      batch.push(result(index, at, since, rnd));
      if (batch.length >= 10_000) await flush();
    }
    // Closed incidents spread over the 30 days, a few minutes to half an hour each, ending before the lookback.
    const closed = (index * 7) % 11;
    for (let n = 0; n < closed; n++) {
      const openedAt = NOW - HISTORY_DAYS * DAY + Math.floor(rnd() * (HISTORY_DAYS * DAY - 3 * HOUR));
      const lasting = Math.floor(2 + rnd() * 28) * MINUTE;
      const { reason, message } = failureOf(index);
      await store.saveIncident({
        id: `i${index}_${n}`,
        checkId: `c${index}`,
        openedAt,
        closedAt: openedAt + lasting,
        firstReason: reason,
        firstMessage: message,
        lastMessage: message,
        failures: Math.max(1, Math.round(lasting / interval)),
        lastFailureAt: openedAt + lasting - interval,
      });
      incidents++;
    }
    if (since !== undefined) {
      const { reason, message } = failureOf(index);
      await store.saveIncident({
        id: `i${index}_open`,
        checkId: `c${index}`,
        openedAt: since,
        firstReason: reason,
        firstMessage: message,
        lastMessage: message,
        failures: Math.floor((NOW - since) / interval),
        lastFailureAt: NOW - interval,
      });
      incidents++;
      open++;
    }
  }
  await flush();
  return { results, incidents, open };
}

// ---- the alerts ----

function checkAlert(checkId) {
  return {
    alertname: 'VigilCheckDown',
    severity: 'critical',
    labels: { alertname: 'VigilCheckDown', check: checkId, severity: 'critical' },
    annotations: { summary: `${checkId} is down` },
    startsAt: NOW - 5 * MINUTE,
  };
}

function groupAlert(group) {
  return {
    alertname: 'VigilGroupDegraded',
    severity: 'warning',
    labels: { alertname: 'VigilGroupDegraded', group, severity: 'warning' },
    annotations: { summary: `checks of ${group} are failing` },
    startsAt: NOW - 5 * MINUTE,
  };
}

/** Half the alerts name a check down now, 40 % a random check, 10 % a group (of any of the 20). */
function alerts(count, downIds) {
  const rnd = random(2023);
  return Array.from({ length: count }, () => {
    const pick = rnd();
    if (pick < 0.5) return checkAlert(downIds[Math.floor(rnd() * downIds.length)]);
    if (pick < 0.9) return checkAlert(`c${Math.floor(rnd() * CHECKS)}`);
    return groupAlert(`team_${Math.floor(rnd() * GROUPS)}`);
  });
}

// ---- the baseline ----

/** The reads gatherEvidence makes, as bare SQL on a connection of its own: rows out, nothing mapped, no rules. */
function bareReads(file) {
  const db = new Database(file, { readonly: true });
  const open = db.prepare('SELECT * FROM incidents WHERE closed_at IS NULL ORDER BY opened_at DESC, id LIMIT 500');
  const newest = db.prepare(
    `SELECT * FROM results WHERE check_id = ? AND started_at >= ? AND started_at < ?
     ORDER BY started_at DESC LIMIT 240`,
  );
  const incidents = db.prepare(
    `SELECT * FROM incidents WHERE check_id = ? AND (closed_at IS NULL OR closed_at >= ?)
     ORDER BY opened_at DESC, id LIMIT 50`,
  );
  const first = db.prepare('SELECT MIN(started_at) FROM results WHERE check_id = ?').pluck();
  return {
    read(checkIds) {
      let rows = open.all().length;
      for (const id of checkIds) {
        rows += newest.all(id, NOW - LOOKBACK_MS, NOW + 1).length;
        rows += incidents.all(id, NOW - INCIDENT_LOOKBACK_MS).length;
        rows += first.get(id) === null ? 0 : 1;
      }
      return rows;
    },
    close: () => db.close(),
  };
}

// ---- the run ----

const { dir, remove } = tempDir('diagnosis');
const file = path.join(dir, 'vigil.db');
const checks = loadChecks(dir);
const store = await SqliteStore.open(file);
try {
  console.log(
    `${CHECKS} checks (${GROUPS} groups, ${HOSTS} hosts), ${HISTORY_DAYS} days ending ${new Date(NOW).toISOString()}, ` +
      `${ALERTS} alerts${quick ? ' (--quick)' : ''}`,
  );
  const started = performance.now();
  const written = await write(store);
  console.log(
    `written: ${fmt.int(written.results)} results, ${fmt.int(written.incidents)} incidents ` +
      `(${written.open} open) in ${fmt.ms(performance.now() - started)}`,
  );

  const openIds = (await store.listIncidents({ openOnly: true })).map((incident) => incident.checkId);
  const options = { store, checks, maintenance: [], now: NOW, lookbackMs: LOOKBACK_MS };
  const bare = bareReads(file);
  try {
    const all = alerts(WARM_UP + ALERTS, openIds);
    // The checks each alert's evidence covers, for the baseline to read: the one it names, or its group's down now.
    const covered = [];
    for (const subject of all) {
      const named = subject.labels.check;
      const evidence = named === undefined ? await gatherEvidence(subject, options) : { checks: [{ checkId: named }] };
      covered.push(evidence.checks.map((check) => check.checkId));
    }
    const diagnosisMs = [];
    const bareMs = [];
    const causes = new Map();
    let checksRead = 0;
    const timed = async (work) => {
      const started = performance.now();
      const answer = await work();
      return { ms: performance.now() - started, answer };
    };
    for (const [n, subject] of all.entries()) {
      const diagnose = () =>
        timed(async () => {
          const evidence = await gatherEvidence(subject, options);
          return { evidence, diagnosis: diagnoseWithRules(evidence) };
        });
      const readBare = () => timed(() => bare.read(covered[n]));
      // Interleaved, in alternating order, so a change of the machine's speed weighs on both alike.
      let measured;
      let baseline;
      if (n % 2 === 0) {
        measured = await diagnose();
        baseline = await readBare();
      } else {
        baseline = await readBare();
        measured = await diagnose();
      }
      if (n < WARM_UP) continue;
      diagnosisMs.push(measured.ms);
      bareMs.push(baseline.ms);
      checksRead += covered[n].length;
      const { evidence, diagnosis } = measured.answer;
      const cause =
        diagnosis.probable_cause === null
          ? 'insufficient evidence'
          : `${ruleFindings(evidence)[0].rule} (${diagnosis.confidence})`;
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
    }
    diagnosisMs.sort((a, b) => a - b);
    bareMs.sort((a, b) => a - b);
    const p = (sorted, q) => quantile(sorted, q);
    console.log(
      `per alert (${ALERTS} after ${WARM_UP} warm-up, ${(checksRead / ALERTS).toFixed(2)} checks each): ` +
        `diagnosis p50 ${fmt.ms(p(diagnosisMs, 0.5))} p99 ${fmt.ms(p(diagnosisMs, 0.99))} ` +
        `max ${fmt.ms(diagnosisMs.at(-1))}; bare SQL p50 ${fmt.ms(p(bareMs, 0.5))} p99 ${fmt.ms(p(bareMs, 0.99))}`,
    );
    console.log(`diagnoses: ${[...causes].map(([cause, count]) => `${count} ${cause}`).join(', ')}`);
    goal({
      name: `rule diagnosis per alert p99 (evidence from the store + rules, ${CHECKS} checks, ${HISTORY_DAYS} days)`,
      figure: `${fmt.ms(p(diagnosisMs, 0.99))} (p50 ${fmt.ms(p(diagnosisMs, 0.5))})`,
      baseline: `bare SQL reads ${fmt.ms(p(bareMs, 0.99))}`,
      ratio: p(diagnosisMs, 0.99) / p(bareMs, 0.99),
      target: `< ${GOAL_MS} ms`,
      pass: p(diagnosisMs, 0.99) < GOAL_MS,
    });
  } finally {
    bare.close();
  }
} finally {
  await store.close();
  remove();
}
