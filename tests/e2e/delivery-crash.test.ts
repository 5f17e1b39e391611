// A crash in the middle of delivery loses nothing and sends nothing twice. `vigil receiver` accepts 100 alert groups
// routed to Slack and email while both providers answer slowly (each holds its requests and, once every group is
// accepted, answers them in bursts: tests/helpers/answer-bursts.ts), is killed with SIGKILL while messages are held,
// and is started again on the same data directory; in the end every group reached both channels exactly once,
// counted at the servers.
//
// Delivery is at least once: a message whose answer was on its way when the process died was delivered, but the
// outbox could not record it, and it goes out again after the restart. No sender can avoid that window (the email's
// stable Message-ID lets a mail system drop the copy; Slack has no such id). This test stays out of it on purpose:
// it kills the receiver half a second after a burst, before the next one, and only once the receiver's own count of
// sent messages (vigil_notifications_total) equals what the servers answered. So every answered message had been
// recorded as sent, and every held one is a message whose client vanished before its answer, which the servers do
// not count (nor would a real provider's client know it went out). What it checks is everything else: jobs caught
// mid-send are taken again once their lease runs out, pending ones go out after the restart, and a sent one is never
// sent again.

import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alert, notification } from '../integration/receiver/payloads.js';
import { AnswerBursts } from '../helpers/answer-bursts.js';
import { SlowSlackServer } from '../helpers/slow-slack-server.js';
import { SlowSmtpServer } from '../helpers/slow-smtp-server.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { sampleValue, scrape, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';

const GROUPS = 100;
const BURST_PERIOD_MS = 1_000;
/** Halfway between two bursts: time for the last one's answers to be recorded, none of the next one's written. */
const KILL_AFTER_BURST_MS = 500;
const RECIPIENT = 'oncall@example.com';

let bursts: AnswerBursts;
let slack: SlowSlackServer;
let smtp: SlowSmtpServer;
let slackUrl: string;
let smtpPort: number;
let vigil: VigilProcess | undefined;

beforeAll(async () => {
  bursts = new AnswerBursts(BURST_PERIOD_MS);
  slack = new SlowSlackServer(bursts);
  smtp = new SlowSmtpServer(bursts);
  [slackUrl, smtpPort] = await Promise.all([slack.start(), smtp.start()]);
});

afterAll(async () => {
  await vigil?.stop();
  bursts?.stop();
  await Promise.all([slack?.stop(), smtp?.stop()]);
});

const groupName = (index: number): string => `crash_${String(index).padStart(3, '0')}`;

/** One Alertmanager notification per group: its own group key and labels. */
function groupNotification(index: number) {
  const check = groupName(index);
  const labels = { alertname: 'CrashTestDown', check, severity: 'critical' };
  return notification([alert({ labels, startsAt: Date.now() - 60_000 })], {
    groupKey: `{}:{check="${check}"}`,
    groupLabels: { check },
  });
}

/** The groups a message names (a message about one group names only it). */
function groupsIn(text: string | undefined): string[] {
  return [...new Set(text?.match(/crash_\d{3}/g) ?? [])];
}

/** The groups that reached a server, each as many times as it arrived (a message naming several counts for each). */
function arrivals(messages: Array<string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const group of messages.flatMap(groupsIn)) counts.set(group, (counts.get(group) ?? 0) + 1);
  return counts;
}

const slackArrivals = (): Map<string, number> => arrivals(slack.delivered);
const emailArrivals = (): Map<string, number> => arrivals(smtp.delivered.map((mail) => mail.subject));

async function postGroup(receiverUrl: string, index: number): Promise<number> {
  const response = await fetch(`${receiverUrl}/api/v1/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(groupNotification(index)),
  });
  return response.status;
}

const CHANNELS = ['slack', 'email'] as const;

/** Messages this process has recorded as sent, per channel (the counter starts at 0 with each process). */
async function recordedSent(receiverUrl: string): Promise<Array<number | undefined>> {
  const metrics = await scrape(receiverUrl);
  return CHANNELS.map((channel) => sampleValue(metrics, 'vigil_notifications_total', { channel, outcome: 'sent' }));
}

/** True when no job of either channel waits, is being sent or was given up: every one was sent. */
async function outboxDone(receiverUrl: string): Promise<boolean> {
  const metrics = await scrape(receiverUrl);
  return CHANNELS.every((channel) =>
    ['pending', 'sending', 'dead'].every(
      (state) => sampleValue(metrics, 'vigil_outbox_jobs', { channel, state }) === 0,
    ),
  );
}

/**
 * SIGKILL between two bursts, while the servers hold messages and once the outbox has recorded every message they
 * answered; answers how many were held then.
 */
async function killBetweenBursts(vigilProcess: VigilProcess): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await bursts.nextBurst();
    const burst = bursts.count;
    await delay(KILL_AFTER_BURST_MS);
    const held = bursts.heldCount();
    if (held === 0) continue;
    const recorded = await recordedSent(vigilProcess.receiverUrl!);
    const answered = [slack.delivered.length, smtp.delivered.length];
    // A burst since (a slow machine overslept) or answers not yet recorded: the kill could duplicate; next burst.
    if (bursts.count !== burst || recorded.some((count, index) => count !== answered[index])) continue;
    // No burst until the servers have seen every held client go: on a busy machine a burst could otherwise come
    // between the kill and the servers noticing the closed connections, and answer messages nobody was there to
    // receive, which the restarted receiver then rightly sends again.
    bursts.stop();
    const exited = new Promise((resolve) => vigilProcess.child.once('exit', resolve));
    vigilProcess.child.kill('SIGKILL');
    await exited;
    await waitFor(
      () => bursts.heldCount() === 0,
      10_000,
      () => `the servers to see the killed receiver's connections close (${bursts.heldCount()} held)`,
    );
    bursts.start();
    return held;
  }
  throw new Error('never found the servers holding messages between two bursts with every answer recorded');
}

/** The groups that did not arrive exactly once, with how many times they did. */
function notOnce(arrived: Map<string, number>): string[] {
  const groups = Array.from({ length: GROUPS }, (_, index) => groupName(index));
  return groups.filter((group) => arrived.get(group) !== 1).map((group) => `${group}: ${arrived.get(group) ?? 0}`);
}

it('delivers every accepted group to Slack and email exactly once across a SIGKILL mid-delivery', async () => {
  const configDir = writeConfigDir({
    // Only the receiver runs: nothing probes this check, but a config directory needs one.
    'checks.yml': 'checks:\n  - {id: unused, endpoint: {url: "http://127.0.0.1:9/"}}\n',
    // The lease must outlast every channel's timeout, so the unused channels get a short one too. A short lease
    // brings the jobs caught mid-send back soon after the restart.
    'config.yml': `
notifications:
  routes:
    - match: {severity: critical}
      channels: {slack: {}, email: {}}
  channels:
    slack: {timeout: 4s, concurrency: 10}
    email: {timeout: 4s, concurrency: 10}
    sms: {timeout: 4s}
    webhook: {timeout: 4s}
    console: {timeout: 4s}
  lease: 10s
  backoff: {initial: 200ms, max: 2s}
`,
  });
  const dataDir = makeTempDir('vigil-data');
  const start = (): Promise<VigilProcess> =>
    startVigil(configDir, {
      command: 'receiver',
      args: ['--data-dir', dataDir],
      env: {
        SLACK_WEBHOOK_URL: slackUrl,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
        ALERT_SENDER_EMAIL: 'vigil@alerts.example',
        ALERT_EMAIL_RECIPIENTS: RECIPIENT,
      },
    });
  vigil = await start();

  // Alertmanager flushes many groups at once; the servers hold every message until all are accepted.
  const statuses = await Promise.all(
    Array.from({ length: GROUPS }, (_, index) => postGroup(vigil!.receiverUrl!, index)),
  );
  expect(statuses.filter((status) => status !== 200)).toEqual([]);

  bursts.start();
  const heldAtKill = await killBetweenBursts(vigil);
  const slackAtKill = slack.delivered.length;
  expect(heldAtKill).toBeGreaterThan(0);
  expect(slackAtKill).toBeLessThan(GROUPS);

  vigil = await start();
  await waitFor(
    () => slackArrivals().size === GROUPS && emailArrivals().size === GROUPS,
    45_000,
    () => `every group at both servers (Slack ${slackArrivals().size}, email ${emailArrivals().size})`,
  );

  // Until the outbox has recorded every job as sent, a message sent twice could still be on its way.
  await waitFor(
    () => outboxDone(vigil!.receiverUrl!),
    20_000,
    () => 'the outbox to record every job as sent',
  );

  expect(slack.delivered.map(groupsIn).filter((groups) => groups.length !== 1)).toEqual([]);
  expect(notOnce(slackArrivals())).toEqual([]);
  expect(slackArrivals().size).toBe(GROUPS);
  expect(notOnce(emailArrivals())).toEqual([]);
  expect(emailArrivals().size).toBe(GROUPS);
  expect(smtp.delivered.filter((mail) => mail.recipients.join() !== RECIPIENT)).toEqual([]);
  expect(new Set(smtp.delivered.map((mail) => mail.messageId)).size).toBe(GROUPS);
  // The crash did cut deliveries short: some of the messages were held, not answered, when it came.
  expect(bursts.dropped).toBeGreaterThan(0);
}, 90_000);
