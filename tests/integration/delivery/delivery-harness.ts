// The receiver role with real channels pointed at local providers: an SMTP relay, a Slack incoming webhook and a
// Twilio Messages API, each recording what reaches it. config.yml routes a group to one channel by its `only` label
// (email, slack, sms), and any other critical group to all three; the outbox's backoffs are a few hundred
// milliseconds so retries do not slow the suite. Tests post Alertmanager webhooks and look where a user would: the
// messages at the servers, the delivery log of GET /api/v1/alerts/{id}, /metrics and the log.

import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { eventually } from '../../helpers/wait-for.js';
import { RecordingSmtpServer } from '../../helpers/recording-smtp-server.js';
import { RecordingWebhookServer } from '../../helpers/recording-webhook-server.js';
import { scrape } from '../../helpers/vigil-process.js';
import { alert, notification, type AlertSpec } from '../receiver/payloads.js';
import {
  type AlertDetailView,
  ManualClock,
  type ReceiverHarness,
  startReceiver,
} from '../receiver/receiver-harness.js';

export type ChannelUnderTest = 'email' | 'slack' | 'sms';
export type DeliveryView = AlertDetailView['deliveries'][number];
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export const SENDER = 'Vigil <vigil@alerts.example>';
export const EMAIL_RECIPIENT = 'oncall@example.com';
export const SMS_RECIPIENT = '+14155550100';
export const TWILIO = { accountSid: 'AC00000000000000000000000000000000', from: '+15005550006' };
export const SLACK_PATH = '/services/T000/B000/secret-token';
export const TWILIO_SID = 'SM00000000000000000000000000000001';
/** pino's number for `error`. */
export const ERROR_LEVEL = 50;

/** Where people reach the receiver: each alert in a message links there. */
export const VIGIL_URL = 'http://vigil.example:9471';

const CONFIG_YML = `
receiver: {external_url: "${VIGIL_URL}"}
notifications:
  routes:
    - match: {only: email}
      channels: {email: {}}
    - match: {only: slack}
      channels: {slack: {}}
    - match: {only: sms}
      channels: {sms: {}}
    - match: {severity: critical}
      channels: {email: {}, sms: {}, slack: {}}
  channels:
    email: {recipients: [${EMAIL_RECIPIENT}], max_attempts: 3, timeout: 5s}
    sms: {recipients: ["${SMS_RECIPIENT}"], max_attempts: 3, timeout: 5s}
    slack: {max_attempts: 3, timeout: 5s}
  backoff: {initial: 100ms, max: 1s}
`;

const FINAL_STATES = new Set(['sent', 'dead', 'unconfigured']);

/**
 * The providers and the receiver. The servers exist from construction, so a test file can hold the harness in a
 * constant; start() brings everything up.
 */
export class DeliveryHarness {
  readonly smtp = new RecordingSmtpServer();
  readonly slack = new RecordingWebhookServer({ status: 200, body: 'ok' });
  readonly twilio = new RecordingWebhookServer({
    status: 201,
    body: JSON.stringify({ sid: TWILIO_SID, status: 'queued' }),
  });
  /** Everything the role logged, from debug up. */
  readonly logs: LogLine[] = [];
  #receiver: ReceiverHarness | undefined;

  /** `channels`: the ones the receiver's environment configures. */
  constructor(private readonly channels: readonly ChannelUnderTest[]) {}

  get receiver(): ReceiverHarness {
    if (this.#receiver === undefined) throw new Error('the delivery harness is not started');
    return this.#receiver;
  }

  async start(): Promise<void> {
    const [smtpPort, slackUrl, twilioUrl] = await Promise.all([
      this.smtp.start(),
      this.slack.start(),
      this.twilio.start(),
    ]);
    const env: Record<string, string> = {};
    if (this.channels.includes('email'))
      Object.assign(env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), ALERT_SENDER_EMAIL: SENDER });
    if (this.channels.includes('slack')) env['SLACK_WEBHOOK_URL'] = `${slackUrl}${SLACK_PATH}`;
    if (this.channels.includes('sms'))
      Object.assign(env, {
        TWILIO_ACCOUNT_SID: TWILIO.accountSid,
        TWILIO_AUTH_TOKEN: 'secret-auth-token-0000',
        TWILIO_FROM_NUMBER: TWILIO.from,
        TWILIO_API_BASE_URL: twilioUrl,
      });
    const logger = pino({ level: 'debug' }, { write: (line: string) => this.logs.push(JSON.parse(line) as LogLine) });
    // The real time: the outbox worker measures age and delivery time on the wall clock.
    this.#receiver = await startReceiver({ configYml: CONFIG_YML, env, logger, clock: new ManualClock(Date.now()) });
  }

  /** POSTs an Alertmanager notification and expects the 200 that means it is stored. */
  async post(payload: unknown): Promise<void> {
    const answer = await this.receiver.post(payload);
    if (answer.status !== 200) throw new Error(`the webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  /** The delivery log of the alert whose `check` label is `check`, once no message of it waits any more. */
  async settledDeliveries(check: string): Promise<DeliveryView[]> {
    const found = (await this.receiver.allAlerts()).find((each) => each.labels['check'] === check);
    if (found === undefined) throw new Error(`no alert with check="${check}"`);
    const detail = await eventually(
      () => this.receiver.admin(`/api/v1/alerts/${found.id}`),
      ({ body }) => body.deliveries.length > 0 && body.deliveries.every((each) => FINAL_STATES.has(each.state)),
      10_000,
    );
    return detail.body.deliveries;
  }

  /** Posts a group of one alert on `check` routed to `only`, and answers its settled delivery log. */
  async deliverAlone(check: string, only: ChannelUnderTest): Promise<DeliveryView[]> {
    await this.post(group(check, [firing(this.receiver, serviceDown(check, only))]));
    return this.settledDeliveries(check);
  }

  metrics(): Promise<string> {
    return scrape(this.receiver.url);
  }

  /** Forgets what the servers received and what they were told to answer, between tests. */
  reset(): void {
    this.smtp.reset();
    this.slack.reset();
    this.twilio.reset();
  }

  async stop(): Promise<void> {
    await this.#receiver?.stop();
    await Promise.all([this.smtp.stop(), this.slack.stop(), this.twilio.stop()]);
  }
}

/**
 * A harness for the test file: started before its tests, its servers reset before each, stopped after. The receiver's
 * environment configures `channels` (all three unless told).
 */
export function useDeliveryHarness(channels: readonly ChannelUnderTest[] = ['email', 'slack', 'sms']): DeliveryHarness {
  const harness = new DeliveryHarness(channels);
  beforeAll(() => harness.start());
  beforeEach(() => harness.reset());
  afterAll(() => harness.stop());
  return harness;
}

/** Labels of a critical alert on check `check` that routes to `only` (all three channels when absent). */
export function serviceDown(check: string, only?: ChannelUnderTest, extra: Record<string, string> = {}) {
  return {
    alertname: 'ServiceDown',
    severity: 'critical',
    check,
    ...(only === undefined ? {} : { only }),
    ...extra,
  };
}

/** A firing alert with these labels that started five minutes before the receiver's clock. */
export function firing(receiver: ReceiverHarness, labels: Record<string, string>, spec: Partial<AlertSpec> = {}) {
  return alert({ labels, startsAt: receiver.clock.now() - 5 * 60_000, ...spec });
}

/** An Alertmanager notification of group `key`, with the common labels Alertmanager computes from its alerts. */
export function group(key: string, alerts: ReturnType<typeof alert>[]) {
  const [first, ...rest] = alerts;
  const commonLabels = Object.fromEntries(
    Object.entries(first?.labels ?? {}).filter(([name, value]) => rest.every((each) => each.labels[name] === value)),
  );
  return notification(alerts, {
    groupKey: `{}:{group="${key}"}`,
    groupLabels: { alertname: commonLabels['alertname'] ?? '' },
    commonLabels,
  });
}
