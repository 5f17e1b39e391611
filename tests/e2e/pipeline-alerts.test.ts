// The whole pipeline with real servers: checks of local services → the prober's /metrics → a real Prometheus with the
// repo's rules → a real Alertmanager with the repo's routing and inhibitions → the receiver's webhook → store,
// diagnosis, outbox → email (a local SMTP server) and Slack (a local webhook server). Prometheus and Alertmanager are
// started by `vigil stack`'s own code (src/stack/), configs rewritten for this run as the command does; the prober
// and the receiver run as `vigil prober` and `vigil receiver`, so the receiver can be restarted on its own.
//
// Shorter loops than the shipped ones, set by the test: scrape and rule evaluation every second, Alertmanager's
// group wait and interval one second, and every alert's `for` one second, except ServiceDown's five (see below).
// Checks still run every 10 s, the shortest interval a check may have. Four scenarios share one stack and run side
// by side: (a) a service down, ServiceDown delivered with a diagnosis, then resolved; (b) both checks of one
// component down, MultipleServicesDown delivered and the per-check ServiceDown inhibited; (c) application alerts
// posted to Alertmanager and delivered; (d) the receiver restarted while (b) resolves, the resolved notice delivered.

import { afterAll, beforeAll, expect, it } from 'vitest';
import path from 'node:path';
import { spreadOffset } from '../../src/schedule/scheduler.js';
import { startStack, type RunningStack } from '../../src/stack/stack.js';
import { unusedPort } from '../helpers/ports.js';
import { RecordingSmtpServer } from '../helpers/recording-smtp-server.js';
import { RecordingWebhookServer } from '../helpers/recording-webhook-server.js';
import { prometheusDirWithShortFor } from '../helpers/short-rules.js';
import { SwitchableTarget } from '../helpers/switchable-target.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { REPO_ROOT, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

const CHECK_INTERVAL_MS = 10_000;
/** Four servers start beside the Vigil processes: on a busy machine a start takes longer than usual. */
const READY_TIMEOUT_MS = 45_000;
const ADMIN_TOKEN = 'pipeline-admin-token';
const WEBHOOK_TOKEN = 'pipeline-webhook-token';
const RECIPIENT = 'oncall@example.com';
/** From a service going down to its alert at the channels: a probe (≤ 10 s), the `for`, scrapes and group waits. */
const FIRING_TIMEOUT_MS = 45_000;

/**
 * The two checks of component `db`, picked so that their first probes (spread over the interval by a hash of the
 * id) are less than half a second apart: they see the service go down at nearly the same moment, and
 * MultipleServicesDown (for 1 s) reaches Alertmanager well before either ServiceDown (for 5 s) does. In production
 * both wait 2 minutes and Alertmanager's group wait covers the difference; with one-second loops it would not.
 */
function dbCheckIds(): [string, string] {
  const ids = Array.from({ length: 200 }, (_, index) => `db_replica_${index}`);
  for (const first of ids) {
    const partner = ids.find(
      (other) =>
        other !== first &&
        Math.abs(spreadOffset(first, CHECK_INTERVAL_MS) - spreadOffset(other, CHECK_INTERVAL_MS)) < 500,
    );
    if (partner !== undefined) return [first, partner];
  }
  throw new Error('no two check ids with close probe phases');
}
const [DB_A, DB_B] = dbCheckIds();

const APPLICATION_ALERTS = [
  {
    labels: {
      alertname: 'PaymentProcessingFailed',
      severity: 'critical',
      component: 'billing',
      service: 'payments',
    },
    annotations: {
      summary: 'Card payments are failing',
      description: '37 of the last 50 card payments failed with a gateway timeout.',
    },
  },
  {
    labels: { alertname: 'SuspiciousLoginActivity', severity: 'warning', component: 'auth', service: 'accounts' },
    annotations: {
      summary: 'Unusual number of failed logins',
      description: '412 failed logins for 9 accounts from one address in 5 minutes.',
    },
  },
];

let target: SwitchableTarget;
let smtp: RecordingSmtpServer;
let slack: RecordingWebhookServer;
let prober: VigilProcess | undefined;
let receiver: VigilProcess | undefined;
let stack: RunningStack | undefined;
let startReceiver: () => Promise<VigilProcess>;

beforeAll(async () => {
  target = new SwitchableTarget();
  smtp = new RecordingSmtpServer();
  slack = new RecordingWebhookServer({ status: 200, body: 'ok' });
  const [targetUrl, smtpPort, slackUrl] = await Promise.all([target.start(), smtp.start(), slack.start()]);
  const ports = await distinctPorts(4);
  const [proberPort, receiverPort, prometheusPort, alertmanagerPort] = ports as [number, number, number, number];

  const check = (id: string, name: string, component: string, urlPath: string): string =>
    `  - {id: ${id}, name: ${name}, component: ${component}, interval: 10s, timeout: 2s, ` +
    `endpoint: {url: "${targetUrl}${urlPath}"}}`;
  const configDir = writeConfigDir({
    'checks.yml': [
      'checks:',
      check('web_frontpage', 'Web front page', 'web', '/web'),
      check(DB_A, 'Database replica A', 'db', '/db'),
      check(DB_B, 'Database replica B', 'db', '/db'),
      '',
    ].join('\n'),
    'config.yml': `
receiver:
  prober_url: "http://127.0.0.1:${proberPort}"
notifications:
  routes:
    - match: {severity: critical}
      channels: {slack: {}, email: {}}
    - match: {severity: warning}
      channels: {slack: {}, email: {}}
`,
  });
  const env = {
    VIGIL_ADMIN_TOKEN: ADMIN_TOKEN,
    VIGIL_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    SLACK_WEBHOOK_URL: slackUrl,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    ALERT_SENDER_EMAIL: 'vigil@alerts.example',
    ALERT_EMAIL_RECIPIENTS: RECIPIENT,
  };
  const receiverDataDir = makeTempDir('vigil-receiver-data');
  startReceiver = () =>
    startVigil(configDir, {
      command: 'receiver',
      args: ['--receiver-listen', `127.0.0.1:${receiverPort}`, '--data-dir', receiverDataDir],
      env,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
  prober = await startVigil(configDir, {
    args: ['--prober-listen', `127.0.0.1:${proberPort}`],
    env,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  receiver = await startReceiver();
  stack = await startStack({
    prometheusDir: prometheusDirWithShortFor((alertname) => (alertname === 'ServiceDown' ? '5s' : '1s')),
    alertmanagerDir: path.join(REPO_ROOT, 'alertmanager'),
    dataDir: makeTempDir('vigil-stack-data'),
    prometheusListen: { host: '127.0.0.1', port: prometheusPort },
    alertmanagerListen: { host: '127.0.0.1', port: alertmanagerPort },
    prober: { host: '127.0.0.1', port: proberPort },
    receiver: { host: '127.0.0.1', port: receiverPort },
    webhookToken: WEBHOOK_TOKEN,
    pathVariable: process.env['PATH'],
    timing: {
      prometheus: { scrapeInterval: '1s', evaluationInterval: '1s' },
      alertmanager: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
    },
    readyTimeoutMs: 30_000,
  });

  // Every scenario's fault starts now; each test below follows its own.
  target.setDown('/web', true);
  target.setDown('/db', true);
  await postToAlertmanager(APPLICATION_ALERTS);
}, 90_000);

afterAll(async () => {
  await stack?.close();
  await Promise.all([prober?.stop(), receiver?.stop()]);
  await Promise.all([target?.stop(), smtp?.stop(), slack?.stop()]);
});

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await unusedPort());
  return [...ports];
}

async function postToAlertmanager(alerts: unknown[]): Promise<void> {
  const response = await fetch(`${stack!.alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(response.status, await response.text()).toBe(200);
}

interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/** The alerts firing in Prometheus now (its own API), as `alertname/check`. */
async function firingInPrometheus(): Promise<string[]> {
  const answer = (await (await fetch(`${stack!.prometheusUrl}/api/v1/alerts`)).json()) as {
    data: { alerts: PrometheusAlert[] };
  };
  return answer.data.alerts
    .filter((alert) => alert.state === 'firing')
    .map((alert) => `${alert.labels['alertname']}/${alert.labels['check'] ?? ''}`);
}

interface HeldAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

async function heldByAlertmanager(): Promise<HeldAlert[]> {
  return (await (await fetch(`${stack!.alertmanagerUrl}/api/v2/alerts`)).json()) as HeldAlert[];
}

interface StoredAlert {
  alertname: string;
  check: string | null;
  state: string;
  labels: Record<string, string>;
  /** `pending` while the receiver has not stored the alert's diagnosis yet. */
  diagnosis: { summary: string; evidence: unknown[]; source: string; pending?: boolean } | null;
}

/** What the receiver stored, from its admin API. */
async function storedAlerts(): Promise<StoredAlert[]> {
  const response = await fetch(`${receiver!.receiverUrl}/api/v1/alerts?limit=500`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { alerts: StoredAlert[] }).alerts;
}

const emailSubjects = (): string[] => smtp.received.map((each) => each.mail.subject ?? '');

/** Slack messages as received: the fallback `text` (`[FIRING:1] ServiceDown ...`, `[RESOLVED] ...`) and the body. */
const slackMessages = (): Array<{ text: string; body: string }> =>
  slack.received.map((request) => ({
    text: (JSON.parse(request.body) as { text?: string }).text ?? '',
    body: request.body,
  }));

/**
 * Waits until an email whose subject matches and a Slack message whose text matches have arrived, both naming
 * `mentioning` (a check's name or id, an alert name) somewhere in their body.
 */
async function deliveredToBoth(subject: RegExp, slackText: RegExp, mentioning: string): Promise<void> {
  await waitFor(
    () =>
      smtp.received.some(
        (each) => subject.test(each.mail.subject ?? '') && (each.mail.text ?? '').includes(mentioning),
      ) && slackMessages().some((each) => slackText.test(each.text) && each.body.includes(mentioning)),
    FIRING_TIMEOUT_MS,
    () =>
      `an email matching ${subject} and a Slack message matching ${slackText}, naming ${mentioning}; so far emails ` +
      `${JSON.stringify(emailSubjects())}, Slack ${JSON.stringify(slackMessages().map((each) => each.text))}`,
  );
}

it('(a) a service down fires ServiceDown in Prometheus, is stored with a diagnosis, reaches email and Slack, and resolves', async () => {
  await waitFor(
    async () => (await firingInPrometheus()).includes('ServiceDown/web_frontpage'),
    FIRING_TIMEOUT_MS,
    () => 'ServiceDown for web_frontpage firing in Prometheus',
  );
  await deliveredToBoth(/^\[CRITICAL\] ServiceDown\b/, /^\[FIRING:1\] ServiceDown\b/, 'web_frontpage');

  // The diagnosis is stored a moment after the message goes (a busy machine makes that moment longer); until then
  // the API shows it pending.
  const storedServiceDown = async () =>
    (await storedAlerts()).find((alert) => alert.alertname === 'ServiceDown' && alert.check === 'web_frontpage');
  await waitFor(
    async () => {
      const diagnosis = (await storedServiceDown())?.diagnosis;
      return diagnosis != null && diagnosis.pending !== true;
    },
    10_000,
    () => 'the ServiceDown alert stored with its diagnosis',
  );
  const stored = await storedServiceDown();
  expect(stored?.labels).toMatchObject({ severity: 'critical', component: 'web' });
  expect(stored?.diagnosis?.source).toBe('rules');
  // Built from the check's own results, read from the prober's API (the receiver shares no store with it): the
  // checks fail with the same reason on one endpoint, since every check here probes the one local target.
  const diagnosis = JSON.stringify(stored?.diagnosis);
  expect(diagnosis).toContain('evidence from prober_api');
  expect(diagnosis).toContain('status_code');

  target.setDown('/web', false);
  await deliveredToBoth(/^\[RESOLVED\] ServiceDown\b/, /^\[RESOLVED\] ServiceDown\b/, 'web_frontpage');
}, 120_000);

it('(b) two checks of one component down: MultipleServicesDown arrives, their ServiceDown is inhibited', async () => {
  await deliveredToBoth(/^\[CRITICAL\] MultipleServicesDown\b/, /^\[FIRING:1\] MultipleServicesDown\b/, 'db');
  await waitFor(
    async () => (await firingInPrometheus()).filter((each) => each.startsWith('ServiceDown/db_')).length === 2,
    FIRING_TIMEOUT_MS,
    () => 'ServiceDown firing in Prometheus for both db checks',
  );
  // Alertmanager holds both ServiceDown alerts, muted by MultipleServicesDown of the same component.
  await waitFor(
    async () =>
      (await heldByAlertmanager()).filter(
        (alert) =>
          alert.labels['alertname'] === 'ServiceDown' &&
          alert.labels['component'] === 'db' &&
          alert.status.state === 'suppressed' &&
          alert.status.inhibitedBy.length > 0,
      ).length === 2,
    10_000,
    () => 'both db ServiceDown alerts inhibited in Alertmanager',
  );
  // Past a group wait and interval, nothing about them reached the receiver or the channels.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const storedDbServiceDown = (await storedAlerts()).filter(
    (alert) => alert.alertname === 'ServiceDown' && alert.labels['component'] === 'db',
  );
  expect(storedDbServiceDown).toEqual([]);
  const aboutDbServiceDown = (text: string): boolean =>
    [DB_A, DB_B].some((id) => new RegExp(`ServiceDown[^\\n]*${id}|${id}[^\\n]*ServiceDown`).test(text));
  expect(smtp.received.filter((each) => aboutDbServiceDown(`${each.mail.subject}\n${each.mail.text}`))).toEqual([]);
  expect(slackMessages().filter((each) => aboutDbServiceDown(each.text))).toEqual([]);
}, 120_000);

it('(c) application alerts posted to Alertmanager are stored with a diagnosis and delivered', async () => {
  await deliveredToBoth(
    /^\[CRITICAL\] PaymentProcessingFailed\b/,
    /^\[FIRING:1\] PaymentProcessingFailed\b/,
    'payments',
  );
  await deliveredToBoth(
    /^\[WARNING\] SuspiciousLoginActivity\b/,
    /^\[FIRING:1\] SuspiciousLoginActivity\b/,
    'accounts',
  );
  const applicationAlerts = ['PaymentProcessingFailed', 'SuspiciousLoginActivity'];
  await waitFor(
    async () => {
      const alerts = await storedAlerts();
      return applicationAlerts.every((name) => {
        const diagnosis = alerts.find((each) => each.alertname === name)?.diagnosis;
        return diagnosis != null && diagnosis.pending !== true;
      });
    },
    10_000,
    () => 'both application alerts stored with their diagnosis',
  );
  const stored = await storedAlerts();
  for (const alertname of applicationAlerts) {
    const alert = stored.find((each) => each.alertname === alertname);
    expect(alert?.diagnosis?.source, alertname).toBe('rules');
    expect(alert?.diagnosis?.summary, alertname).toBeTruthy();
  }
  const mail = smtp.received.find((each) => /PaymentProcessingFailed/.test(each.mail.subject ?? ''));
  expect(mail?.mail.text).toContain('37 of the last 50 card payments failed');
  expect(mail?.recipients).toEqual([RECIPIENT]);
}, 120_000);

it('(d) the receiver restarted between firing and resolving still delivers the resolved notice', async () => {
  await deliveredToBoth(/^\[CRITICAL\] MultipleServicesDown\b/, /^\[FIRING:1\] MultipleServicesDown\b/, 'db');
  expect(await receiver!.stop()).toBe(0);

  // The component recovers while the receiver is down: Alertmanager's resolved notice cannot be delivered yet.
  target.setDown('/db', false);
  await waitFor(
    async () => !(await firingInPrometheus()).some((each) => each.startsWith('MultipleServicesDown/')),
    FIRING_TIMEOUT_MS,
    () => 'MultipleServicesDown resolved in Prometheus',
  );
  expect(emailSubjects().filter((subject) => /^\[RESOLVED\] MultipleServicesDown/.test(subject))).toEqual([]);

  receiver = await startReceiver();
  await deliveredToBoth(
    /^\[RESOLVED\] MultipleServicesDown\b/,
    /^\[RESOLVED\] MultipleServicesDown\b/,
    'MultipleServicesDown',
  );
  const stored = (await storedAlerts()).find((alert) => alert.alertname === 'MultipleServicesDown');
  expect(stored?.state).toBe('resolved');
}, 120_000);
