// The diagnosis of each new firing, through the whole receiver: a store shared with the prober holds a DNS check's
// real failing results; an Alertmanager webhook about it is posted; the Slack message (at a local incoming webhook)
// names the DNS name and the resolver from the rule diagnosis, and the admin API shows the stored diagnosis. With an
// AI configured (a local chat-completions server), a slow answer does not hold the message past the AI timeout (it
// goes with the rules) and is stored once it comes; a fast one is in the message. Alerts without evidence get the
// "insufficient evidence" diagnosis from their labels. Both backends: SQLite, and PostgreSQL for the DNS message.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDiagnosis } from '../../../src/model/diagnosis.js';
import { PostgresStore } from '../../../src/store/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { ChatCompletionsServer, completion } from '../../helpers/chat-completions-server.js';
import { dnsCheck } from '../../helpers/checks.js';
import type { HttpServer } from '../../../src/http/server.js';
import { startProberApi } from '../../helpers/prober-api-server.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { RecordingWebhookServer, type ReceivedRequest } from '../../helpers/recording-webhook-server.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';
import { eventually } from '../../helpers/wait-for.js';
import { history, MINUTE, seed } from '../diagnosis/scenarios.js';
import { alert, notification } from '../receiver/payloads.js';
import { ADMIN_TOKEN, ManualClock, type ReceiverHarness, startReceiver } from '../receiver/receiver-harness.js';
import { sampleValue } from '../../helpers/vigil-process.js';

/** The results and alerts are placed around the real time: delivery waits on the wall clock. */
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const DNS_FAILURE = 'NXDOMAIN: A www.example.com from 10.0.0.53:5353: the name does not exist';
const CHECKS_YML = `
checks:
  - {id: www_dns, type: dns, target: www.example.com, record_type: A, server: "10.0.0.53:5353", service: www}
`;
const NOTIFICATIONS_YML = `
notifications:
  routes:
    - match: {severity: critical}
      channels: {slack: {}}
  channels:
    slack: {max_attempts: 3, timeout: 5s}
  backoff: {initial: 100ms, max: 1s}
`;
const AI_ANSWER = {
  summary: 'AI: www.example.com vanished from the zone served by 10.0.0.53',
  probable_cause: 'The A record of www.example.com was deleted in the last zone change.',
  evidence: ['NXDOMAIN from 10.0.0.53:5353 for four minutes'],
  recommendations: ['Restore the A record of www.example.com'],
  confidence: 'high',
};

/** Two hours of probes every minute, the last four failing with NXDOMAIN at the configured resolver. */
async function seedDnsFailure(store: Store): Promise<void> {
  await seed(
    store,
    history('www_dns', NOW - 120 * MINUTE, NOW, MINUTE, (at) =>
      at >= NOW - 4 * MINUTE ? { status: 'down', reason: 'dns', message: DNS_FAILURE, phases: { dns: 12 } } : undefined,
    ),
  );
}

let group = 0;

/** A one-alert group of a critical alert with these labels (a new group key each time), started three minutes ago. */
function firingGroup(labels: Record<string, string>) {
  group += 1;
  const firing = alert({ labels: { severity: 'critical', ...labels }, startsAt: NOW - 3 * MINUTE });
  return notification([firing], {
    groupKey: `{}:{test="${group}"}`,
    groupLabels: { alertname: labels['alertname'] ?? '' },
    commonLabels: firing.labels,
  });
}

interface Posted {
  /** When the webhook was posted. */
  at: number;
  alertId: string;
}

/** Posts the group and answers the id of the alert it stored with `check`. */
async function post(receiver: ReceiverHarness, labels: Record<string, string>): Promise<Posted> {
  const at = Date.now();
  const answer = await receiver.post(firingGroup(labels));
  expect(answer.status).toBe(200);
  const stored = (await receiver.allAlerts()).find((each) => each.labels['alertname'] === labels['alertname']);
  if (stored === undefined) throw new Error('the alert was not stored');
  return { at, alertId: stored.id };
}

/** The one Slack post that names the alert. */
async function slackMessage(slack: RecordingWebhookServer, alertname: string): Promise<ReceivedRequest> {
  const [message] = await eventually(
    async () => slack.received.filter((request) => request.body.includes(alertname)),
    (found) => found.length > 0,
    10_000,
  );
  return message!;
}

async function storedDiagnosis(
  receiver: ReceiverHarness,
  alertId: string,
  until: (diagnosis: AlertDiagnosis) => boolean,
): Promise<AlertDiagnosis> {
  const detail = await eventually(
    () => receiver.admin(`/api/v1/alerts/${alertId}`),
    ({ body }) => body.diagnosis !== null && body.diagnosis.pending !== true && until(body.diagnosis),
    10_000,
  );
  return detail.body.diagnosis!;
}

const DNS_NAMED = 'DNS resolution of www.example.com fails';
/** Alerts posted at once: more than the background queue starts at once (50). */
const BURST = 120;
const DIG = 'dig @10.0.0.53 -p 5353 www.example.com A';

describe('with the store shared with the prober, no AI', () => {
  const slack = new RecordingWebhookServer({ status: 200, body: 'ok' });
  let store: SqliteStore;
  let receiver: ReceiverHarness;

  beforeAll(async () => {
    const slackUrl = await slack.start();
    store = await SqliteStore.open(path.join(makeTempDir('vigil-diagnosed'), 'vigil.db'));
    await seedDnsFailure(store);
    receiver = await startReceiver({
      checksYml: CHECKS_YML,
      configYml: NOTIFICATIONS_YML,
      env: { SLACK_WEBHOOK_URL: `${slackUrl}/services/T0/B0/rules` },
      store,
      clock: new ManualClock(NOW),
    });
  });

  afterAll(async () => {
    await receiver?.stop();
    await store?.close();
    await slack.stop();
  });

  it('sends the Slack message with the rule diagnosis naming the DNS name and the resolver', async () => {
    const { alertId } = await post(receiver, { alertname: 'WwwDnsDown', check: 'www_dns' });

    const message = await slackMessage(slack, 'WwwDnsDown');
    expect(message.body).toContain(DNS_NAMED);
    expect(message.body).toContain('resolver 10.0.0.53:5353');
    expect(message.body).toContain(DIG);
    expect(message.body).toContain('(rules, high confidence)');
    expect(message.body).not.toContain('no diagnosis yet');

    const diagnosis = await storedDiagnosis(receiver, alertId, () => true);
    expect(diagnosis).toMatchObject({ source: 'rules', confidence: 'high' });
    expect(diagnosis.summary).toContain(DNS_NAMED);
    const detail = (await receiver.admin(`/api/v1/alerts/${alertId}`)).body;
    // One owner for recommendations: the diagnosis's, not the category's list.
    expect(detail.recommendations).toEqual(diagnosis.recommendations);
    expect(detail.recommendations).toContain(DIG);
  });

  it('diagnoses an alert that names no check from its labels: insufficient evidence, the category list', async () => {
    const { alertId } = await post(receiver, { alertname: 'ErrorBudgetBurn' });

    const diagnosis = await storedDiagnosis(receiver, alertId, () => true);
    expect(diagnosis).toMatchObject({ source: 'rules', confidence: 'low', probable_cause: null });
    expect(diagnosis.summary).toMatch(/^insufficient evidence/);
    expect(diagnosis.evidence).toContain('no check to look at: the alert names none the evidence covers');
    expect(diagnosis.recommendations).toContain(
      'Look at which checks consumed the error budget in the SLA report (vigil report).',
    );
    const message = await slackMessage(slack, 'ErrorBudgetBurn');
    expect(message.body).toContain('insufficient evidence');
  });

  it('diagnoses each firing of a burst once, whether its delivery or the background queue gets to it first', async () => {
    const diagnosesMade = async (): Promise<number> => {
      const response = await fetch(`${receiver.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return sampleValue(await response.text(), 'vigil_diagnosis_duration_seconds_count', { source: 'rules' }) ?? NaN;
    };
    const before = await diagnosesMade();
    // More than the queue starts at once: it falls behind the deliveries, which diagnose their alerts themselves.
    const burst = Array.from({ length: BURST }, (_, index) => `Burst${index}`);
    for (const alertname of burst) {
      expect((await receiver.post(firingGroup({ alertname, check: 'www_dns' }))).status).toBe(200);
    }
    await eventually(
      async () =>
        burst.filter((name) => slack.received.some((request) => new RegExp(`\\b${name}\\b`).test(request.body))).length,
      (sent) => sent === BURST,
      20_000,
    );
    await eventually(diagnosesMade, (made) => made - before >= BURST, 10_000);
    // The queue's pass over the burst (50 a second) ends within this; it diagnoses none of them again.
    const watchUntil = Date.now() + 2 * (BURST / 50) * 1_000;
    while (Date.now() < watchUntil) {
      expect((await diagnosesMade()) - before).toBe(BURST);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('takes the labels as evidence for a check the configuration does not define', async () => {
    const { alertId } = await post(receiver, { alertname: 'GhostDown', check: 'ghost_check' });

    const diagnosis = await storedDiagnosis(receiver, alertId, () => true);
    expect(diagnosis.summary).toBe('insufficient evidence: no rule fits ghost_check');
    expect(diagnosis.evidence.at(-1)).toContain('check ghost_check is not in the loaded configuration');
  });
});

describe("apart from the prober: evidence over the prober's API (receiver.prober_url)", () => {
  const slack = new RecordingWebhookServer({ status: 200, body: 'ok' });
  let proberStore: SqliteStore;
  let prober: HttpServer;
  let receiver: ReceiverHarness;

  beforeAll(async () => {
    const slackUrl = await slack.start();
    // The prober's own store, which the receiver never opens: it has one of its own.
    proberStore = await SqliteStore.open(path.join(makeTempDir('vigil-prober-apart'), 'vigil.db'));
    await seedDnsFailure(proberStore);
    const checks = [dnsCheck('www.example.com', { id: 'www_dns', server: '10.0.0.53:5353', service: 'www' })];
    prober = await startProberApi({ store: proberStore, checks });
    receiver = await startReceiver({
      checksYml: CHECKS_YML,
      configYml: `receiver: {prober_url: "${prober.url}"}\n${NOTIFICATIONS_YML}`,
      env: { SLACK_WEBHOOK_URL: `${slackUrl}/services/T0/B0/apart` },
      clock: new ManualClock(NOW),
    });
  });

  afterAll(async () => {
    await receiver?.stop();
    await prober?.stop();
    await proberStore?.close();
    await slack.stop();
  });

  it("sends the Slack message with the rule diagnosis from the prober's results", async () => {
    const { alertId } = await post(receiver, { alertname: 'ApartDnsDown', check: 'www_dns' });

    const message = await slackMessage(slack, 'ApartDnsDown');
    expect(message.body).toContain(DNS_NAMED);
    expect(message.body).toContain(DIG);
    const diagnosis = await storedDiagnosis(receiver, alertId, () => true);
    expect(diagnosis.evidence.at(-1)).toMatch(/^evidence from prober_api/);
  });
});

describe('with an AI configured (timeout 1 s)', () => {
  const slack = new RecordingWebhookServer({ status: 200, body: 'ok' });
  const ai = new ChatCompletionsServer();
  let store: SqliteStore;
  let receiver: ReceiverHarness;

  beforeAll(async () => {
    const [slackUrl, aiUrl] = await Promise.all([slack.start(), ai.start()]);
    store = await SqliteStore.open(path.join(makeTempDir('vigil-diagnosed-ai'), 'vigil.db'));
    await seedDnsFailure(store);
    receiver = await startReceiver({
      checksYml: CHECKS_YML,
      configYml: `${NOTIFICATIONS_YML}ai: {base_url: "${aiUrl}", model: test-model, timeout: 1s}\n`,
      env: { SLACK_WEBHOOK_URL: `${slackUrl}/services/T0/B0/ai` },
      store,
      clock: new ManualClock(NOW),
    });
  });

  afterAll(async () => {
    await receiver?.stop();
    await store?.close();
    await Promise.all([slack.stop(), ai.stop()]);
  });

  it('sends with the rules when the AI is slower than its timeout, and stores the AI answer when it comes', async () => {
    ai.script = () => ({ status: 200, body: completion(JSON.stringify(AI_ANSWER)), delayMs: 2_000 });
    const { at, alertId } = await post(receiver, { alertname: 'SlowAiDnsDown', check: 'www_dns' });

    const message = await slackMessage(slack, 'SlowAiDnsDown');
    // It waited for the AI (its timeout), then went with the rules, before the answer came.
    expect(message.at - at).toBeGreaterThanOrEqual(950);
    expect(message.at - at).toBeLessThan(2_000);
    expect(message.body).toContain(DNS_NAMED);
    expect(message.body).toContain('(rules, high confidence)');
    expect(message.body).not.toContain(AI_ANSWER.summary);

    const diagnosis = await storedDiagnosis(receiver, alertId, (each) => each.source === 'ai');
    expect(diagnosis.summary).toBe(AI_ANSWER.summary);
    // The rules' evidence is kept beside the AI's narrative.
    expect(diagnosis.evidence).toEqual(
      expect.arrayContaining([expect.stringContaining('asked through resolver 10.0.0.53:5353')]),
    );
    expect(diagnosis.recommendations).toEqual(expect.arrayContaining(['Restore the A record of www.example.com', DIG]));
    const request = ai.requests.find((each) => each.rawBody.includes('SlowAiDnsDown'));
    expect(request?.rawBody).toContain('www.example.com');
  });

  it('puts a fast AI answer in the message', async () => {
    ai.script = () => ({ status: 200, body: completion(JSON.stringify(AI_ANSWER)) });
    const { alertId } = await post(receiver, { alertname: 'FastAiDnsDown', check: 'www_dns' });

    const message = await slackMessage(slack, 'FastAiDnsDown');
    expect(message.body).toContain(AI_ANSWER.summary);
    expect(message.body).toContain('(AI, high confidence)');
    const diagnosis = await storedDiagnosis(receiver, alertId, () => true);
    expect(diagnosis).toMatchObject({ source: 'ai', summary: AI_ANSWER.summary });
  });
});

describe('on PostgreSQL, both roles on one database', () => {
  const slack = new RecordingWebhookServer({ status: 200, body: 'ok' });
  let server: PostgresServer;
  let prober: PostgresStore;
  let receiver: ReceiverHarness;

  beforeAll(async () => {
    const [slackUrl, started] = await Promise.all([slack.start(), startPostgres()]);
    server = started;
    // The prober's store writes the results; the receiver opens its own on the same database.
    prober = await PostgresStore.open(server.url);
    await seedDnsFailure(prober);
    receiver = await startReceiver({
      checksYml: CHECKS_YML,
      configYml: `storage: {backend: postgres}\n${NOTIFICATIONS_YML}`,
      env: { DATABASE_URL: server.url, SLACK_WEBHOOK_URL: `${slackUrl}/services/T0/B0/pg` },
      clock: new ManualClock(NOW),
    });
  }, 60_000);

  afterAll(async () => {
    await receiver?.stop();
    await prober?.close();
    await server?.stop();
    await slack.stop();
  });

  it('sends the Slack message with the rule diagnosis from the shared database', async () => {
    await post(receiver, { alertname: 'PgDnsDown', check: 'www_dns' });

    const message = await slackMessage(slack, 'PgDnsDown');
    expect(message.body).toContain(DNS_NAMED);
    expect(message.body).toContain(DIG);
  });
});
