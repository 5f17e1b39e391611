// The outbox worker against an in-memory outbox and scripted channels: what it records for each answer (sent, retry
// on backoff, dead), the attempt and age limits, Slack's Retry-After pausing the channel, channels independent of
// each other, concurrency, stop aborting sends in flight, a lease lost during a send, and the prepare hook (what it
// answers is rendered; a hook that fails or hangs costs no job). Time is an injected clock
// the tests move by hand; they wait for what the outbox records, never for a time.

import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxWorker, type OutboxWorkerOptions } from '../../../src/delivery/outbox-worker.js';
import { DeliveryMetrics } from '../../../src/metrics/delivery-metrics.js';
import type { ChannelPolicy } from '../../../src/model/routing.js';
import type { Notification } from '../../../src/model/notification.js';
import type { Channel, SendOutcome } from '../../../src/notify/channel.js';
import { channelPolicy } from '../../helpers/channel-policy.js';
import { MemoryOutbox } from '../../helpers/memory-outbox.js';
import { ACCEPTED_AT, notification } from '../../helpers/notification-builder.js';
import { sampleValue } from '../../helpers/vigil-process.js';

const T0 = ACCEPTED_AT;
const LEASE_MS = 60_000;

type Send = (call: number, signal: AbortSignal) => Promise<SendOutcome> | SendOutcome;

interface FakeChannel extends Channel<{ recipient?: string }> {
  calls: number;
  signals: AbortSignal[];
  /** Resolves once the channel has been asked to send `count` times. */
  sendsStarted(count: number): Promise<void>;
}

function fakeChannel(name: string, send: Send, render?: () => never): FakeChannel {
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const channel: FakeChannel = {
    name,
    calls: 0,
    signals: [],
    sendsStarted: (count) =>
      channel.calls >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve })),
    render: render ?? ((_notification, recipient) => (recipient === undefined ? {} : { recipient })),
    send: (_message, { signal }) => {
      channel.calls += 1;
      channel.signals.push(signal);
      for (const waiter of waiting) if (channel.calls >= waiter.count) waiter.resolve();
      return Promise.resolve(send(channel.calls, signal));
    },
  };
  return channel;
}

const sent = (): SendOutcome => ({ kind: 'sent' });
/** A send that waits for its signal, as a provider that never answers. */
const untilAborted = (_call: number, signal: AbortSignal): Promise<SendOutcome> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'retry', reason: 'aborted' })));

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** Lets every pending promise callback run (the memory outbox answers at once, so a worker's turn ends in them). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let workers: OutboxWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

function setup(
  channels: FakeChannel[],
  policies: Record<string, Partial<ChannelPolicy>> = {},
  hook: Pick<OutboxWorkerOptions, 'complete' | 'prepare' | 'prepareLimitMs'> = {},
) {
  const outbox = new MemoryOutbox();
  const clock = { now: T0 };
  const registry = new Registry();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const metrics = new DeliveryMetrics({ registry, outbox, logger, channels: channels.map((c) => c.name) });
  const byName = new Map(channels.map((channel) => [channel.name, channel]));
  const worker = new OutboxWorker({
    store: outbox,
    channels: (name) => byName.get(name),
    channelNames: [...byName.keys()],
    policyOf: (name) => channelPolicy(policies[name]),
    leaseMs: LEASE_MS,
    metrics,
    logger,
    now: () => clock.now,
    random: () => 0.5,
    // Longer than any test: the loops move on wakes and the store's due times only.
    pollMs: 600_000,
    ...hook,
  });
  workers.push(worker);
  const counted = async (channel: string, outcome: string): Promise<number | undefined> =>
    sampleValue(await registry.metrics(), 'vigil_notifications_total', { channel, outcome });
  return { outbox, clock, registry, logs, worker, counted };
}

describe('OutboxWorker', () => {
  it('sends a due job and records it sent, counted and timed from acceptance', async () => {
    const slack = fakeChannel('slack', sent);
    const { outbox, clock, registry, worker, counted } = setup([slack]);
    clock.now = T0 + 2_000;
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(outbox.job(id!)).toMatchObject({ attempts: 1, sentAt: T0 + 2_000 });
    expect(await counted('slack', 'sent')).toBe(1);
    const text = await registry.metrics();
    expect(sampleValue(text, 'vigil_notification_delivery_seconds_sum', { channel: 'slack' })).toBe(2);
    expect(sampleValue(text, 'vigil_notification_delivery_seconds_bucket', { channel: 'slack', le: '2.5' })).toBe(1);
  });

  it('sends one message per recipient, each rendered for its recipient', async () => {
    const email = fakeChannel('email', sent);
    const rendered: Array<string | undefined> = [];
    const render = email.render.bind(email);
    email.render = (notice, recipient) => {
      rendered.push(recipient);
      return render(notice, recipient);
    };
    const { outbox, worker } = setup([email], { email: { concurrency: 2 } });
    const ids = outbox.enqueue(notification(), [
      { channel: 'email', recipient: 'a@example.com' },
      { channel: 'email', recipient: 'b@example.com' },
    ]);
    worker.start();

    await outbox.until(() => ids.every((id) => outbox.job(id).state === 'sent'), 'both sent');
    expect(rendered.sort()).toEqual(['a@example.com', 'b@example.com']);
  });

  it('retries a failed attempt on the full-jitter backoff, then sends it', async () => {
    const slack = fakeChannel('slack', (call) => (call === 1 ? { kind: 'retry', reason: 'slack: HTTP 503' } : sent()));
    const { outbox, clock, worker, counted } = setup([slack]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).attempts === 1 && outbox.job(id!).state === 'pending', 'one retry');
    // Attempt 1's ceiling is the initial backoff (1 s); the random source answers 0.5.
    expect(outbox.job(id!)).toMatchObject({ nextAttemptAt: T0 + 500, lastError: 'slack: HTTP 503' });

    clock.now = T0 + 500;
    worker.wake('slack');
    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(outbox.job(id!)).toMatchObject({ attempts: 2, sentAt: T0 + 500 });
    expect(await counted('slack', 'retry')).toBe(1);
    expect(await counted('slack', 'sent')).toBe(1);
  });

  it('records a dead answer at once and logs it once, at error level', async () => {
    const slack = fakeChannel('slack', () => ({ kind: 'dead', reason: 'slack: HTTP 404 channel_not_found' }));
    const { outbox, logs, worker, counted } = setup([slack]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'dead', 'the job dead');
    await settle();
    expect(outbox.job(id!)).toMatchObject({ attempts: 1, lastError: 'slack: HTTP 404 channel_not_found' });
    expect(await counted('slack', 'dead')).toBe(1);
    const errors = logs.filter((line) => line.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        channel: 'slack',
        group: notification().groupKey,
        attempts: 1,
        reason: 'slack: HTTP 404 channel_not_found',
      }),
    ]);
  });

  it('gives up after the attempt limit, keeping the last reason', async () => {
    const sms = fakeChannel('sms', (call) => ({ kind: 'retry', reason: `twilio: HTTP 503 (try ${call})` }));
    const { outbox, clock, worker, counted } = setup([sms], { sms: { maxAttempts: 3 } });
    const [id] = outbox.enqueue(notification(), [{ channel: 'sms', recipient: '+15550100' }]);
    worker.start();

    for (let attempt = 1; attempt < 3; attempt += 1) {
      await outbox.until(() => outbox.job(id!).attempts === attempt && outbox.job(id!).state === 'pending', 'a retry');
      clock.now = outbox.job(id!).nextAttemptAt!;
      worker.wake('sms');
    }
    await outbox.until(() => outbox.job(id!).state === 'dead', 'the job dead');
    expect(outbox.job(id!)).toMatchObject({
      attempts: 3,
      lastError: 'gave up after 3 attempts: twilio: HTTP 503 (try 3)',
    });
    expect(await counted('sms', 'retry')).toBe(2);
    expect(await counted('sms', 'dead')).toBe(1);
  });

  it('gives up on a job older than the age limit when it fails again', async () => {
    const slack = fakeChannel('slack', () => ({ kind: 'retry', reason: 'slack: connection refused' }));
    const { outbox, clock, worker } = setup([slack], { slack: { maxAgeMs: 10 * 60_000 } });
    clock.now = T0 + 11 * 60_000;
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'dead', 'the job dead');
    expect(outbox.job(id!).lastError).toBe(
      'gave up after 1 attempt (not sent within 10 min): slack: connection refused',
    );
  });

  it("honours Retry-After: the job waits for it, and the channel's other jobs wait too", async () => {
    const slack = fakeChannel('slack', (call) =>
      call === 1 ? { kind: 'retry', reason: 'slack: HTTP 429', afterMs: 30_000 } : sent(),
    );
    const { outbox, clock, worker } = setup([slack]);
    const [first] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();
    await outbox.until(() => outbox.job(first!).state === 'pending', 'the rate-limited retry');
    expect(outbox.job(first!).nextAttemptAt).toBe(T0 + 30_000);

    // A new notification during the pause: woken, the loop still claims nothing.
    const [second] = outbox.enqueue(notification(undefined, { stateKey: 'other' }), [{ channel: 'slack' }]);
    clock.now = T0 + 10_000;
    worker.wake('slack');
    await settle();
    expect(outbox.claims.filter((claim) => claim.now > T0)).toEqual([]);
    expect(outbox.job(second!).attempts).toBe(0);

    clock.now = T0 + 30_000;
    worker.wake('slack');
    await outbox.until(() => [first!, second!].every((id) => outbox.job(id).state === 'sent'), 'both sent');
    expect(outbox.claims.filter((claim) => claim.now > T0 && claim.now < T0 + 30_000)).toEqual([]);
  });

  it('retries a send that throws, with the error message', async () => {
    const webhook = fakeChannel('webhook', () => {
      throw new Error('socket hang up');
    });
    const { outbox, worker } = setup([webhook]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'webhook' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'pending' && outbox.job(id!).attempts === 1, 'a retry');
    expect(outbox.job(id!).lastError).toBe('socket hang up');
  });

  it('records a message that cannot be rendered as dead without sending it', async () => {
    const email = fakeChannel('email', sent, () => {
      throw new Error('no subject');
    });
    const { outbox, worker } = setup([email]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'email', recipient: 'a@example.com' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'dead', 'the job dead');
    expect(outbox.job(id!).lastError).toBe('could not render the message: no subject');
    expect(email.calls).toBe(0);
  });

  it("aborts a send at the channel's timeout and retries it", async () => {
    const email = fakeChannel('email', untilAborted);
    const { outbox, worker } = setup([email], { email: { timeoutMs: 20 } });
    const [id] = outbox.enqueue(notification(), [{ channel: 'email', recipient: 'a@example.com' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'pending' && outbox.job(id!).attempts === 1, 'a retry');
    expect(outbox.job(id!).lastError).toBe('timed out after 20 ms');
    expect(email.signals[0]?.aborted).toBe(true);
  });

  it('keeps channels independent: a send that hangs delays no other channel', async () => {
    const email = fakeChannel('email', untilAborted);
    const slack = fakeChannel('slack', sent);
    const { outbox, worker } = setup([email, slack]);
    const [mail, chat] = outbox.enqueue(notification(), [
      { channel: 'email', recipient: 'a@example.com' },
      { channel: 'slack' },
    ]);
    worker.start();

    await outbox.until(() => outbox.job(chat!).state === 'sent', 'the slack job sent');
    expect(outbox.job(mail!).state).toBe('sending');
  });

  it('sends at most `concurrency` jobs of a channel at once', async () => {
    const gates = [deferred<SendOutcome>(), deferred<SendOutcome>(), deferred<SendOutcome>()];
    const slack = fakeChannel('slack', (call) => gates[call - 1]!.promise);
    const { outbox, worker } = setup([slack], { slack: { concurrency: 2 } });
    const ids = [1, 2, 3].flatMap((n) =>
      outbox.enqueue(notification(undefined, { stateKey: `s${n}` }), [{ channel: 'slack' }]),
    );
    worker.start();

    await slack.sendsStarted(2);
    await settle();
    expect(outbox.job(ids[2]!)).toMatchObject({ state: 'pending', attempts: 0 });

    gates[0]!.resolve(sent());
    await slack.sendsStarted(3);
    gates[1]!.resolve(sent());
    gates[2]!.resolve(sent());
    await outbox.until(() => ids.every((id) => outbox.job(id).state === 'sent'), 'all sent');
  });

  it('stop aborts the sends in flight, records them for a retry at once, and resolves', async () => {
    const email = fakeChannel('email', untilAborted);
    const { outbox, clock, worker, counted } = setup([email]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'email', recipient: 'a@example.com' }]);
    worker.start();
    await email.sendsStarted(1);

    clock.now = T0 + 1_000;
    await worker.stop();
    expect(email.signals[0]?.aborted).toBe(true);
    expect(outbox.job(id!)).toMatchObject({
      state: 'pending',
      attempts: 1,
      nextAttemptAt: T0 + 1_000,
      lastError: 'the worker stopped before the send finished',
    });
    expect(await counted('email', 'retry')).toBe(1);
  });

  it('stop does not wait for a send that ignores its signal', async () => {
    const webhook = fakeChannel('webhook', () => new Promise<SendOutcome>(() => {}));
    const { outbox, worker } = setup([webhook]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'webhook' }]);
    worker.start();
    await webhook.sendsStarted(1);

    await worker.stop();
    expect(outbox.job(id!)).toMatchObject({
      state: 'pending',
      lastError: 'the worker stopped before the send finished',
    });
  });

  it('drops the outcome of an attempt whose lease ran out and was taken again: a warning, no count', async () => {
    const gate = deferred<SendOutcome>();
    const slack = fakeChannel('slack', () => gate.promise);
    const { outbox, clock, logs, worker, counted } = setup([slack]);
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();
    await slack.sendsStarted(1);

    // Another worker takes the job once the lease has ended.
    clock.now = T0 + LEASE_MS;
    const [taken] = await outbox.claim('slack', clock.now, LEASE_MS, 1);
    expect(taken?.attempt).toBe(2);

    gate.resolve(sent());
    await outbox.until(() => outbox.finishes.length === 1, 'the attempt finished');
    await settle();
    expect(outbox.finishes).toEqual([{ id, attempt: 1, kind: 'sent', recorded: false }]);
    expect(outbox.job(id!)).toMatchObject({ state: 'sending', attempts: 2 });
    expect(logs.filter((line) => line.level === 40)).toEqual([
      expect.objectContaining({ channel: 'slack', delivery: id, attempt: 1 }),
    ]);
    expect(await counted('slack', 'sent')).toBe(0);
  });
});

describe('the prepare hook', () => {
  /** A channel that remembers the summary of the first alert's diagnosis of each notification it renders. */
  function renderingChannel(): FakeChannel & { rendered: Array<string | undefined> } {
    const channel = Object.assign(fakeChannel('slack', sent), { rendered: [] as Array<string | undefined> });
    channel.render = (notice: Notification) => {
      channel.rendered.push(notice.alerts[0]?.diagnosis?.summary);
      return {};
    };
    return channel;
  }

  const diagnosed = (notice: Notification): Notification => ({
    ...notice,
    alerts: notice.alerts.map((alert) => ({
      ...alert,
      diagnosis: {
        summary: 'DNS resolution of www.example.com fails',
        probable_cause: null,
        evidence: [],
        recommendations: [],
        confidence: 'high',
        source: 'rules',
      },
    })),
  });

  it('renders the notification the hook answers', async () => {
    const slack = renderingChannel();
    const { outbox, worker } = setup([slack], {}, { prepare: (notice) => Promise.resolve(diagnosed(notice)) });
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(slack.rendered).toEqual(['DNS resolution of www.example.com fails']);
  });

  it('completes the stored notification before the hook, and keeps it complete when the hook fails', async () => {
    const slack = renderingChannel();
    const complete = (notice: Notification): Notification => ({
      ...notice,
      alerts: notice.alerts.map((alert) => ({
        ...alert,
        diagnosis: { ...diagnosed(notice).alerts[0]!.diagnosis!, summary: 'completed' },
      })),
    });
    const { outbox, worker } = setup([slack], {}, { complete, prepare: () => Promise.reject(new Error('store gone')) });
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(slack.rendered).toEqual(['completed']);
  });

  it('sends the notification as stored when completing it throws, and logs why', async () => {
    const slack = renderingChannel();
    const complete = (): Notification => {
      throw new Error('bad settings');
    };
    const { outbox, logs, worker } = setup([slack], {}, { complete });
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(slack.rendered).toEqual([undefined]);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'could not complete the notification; sending it as stored', channel: 'slack' }),
    );
  });

  it('sends the notification as stored when the hook fails, and logs why', async () => {
    const slack = renderingChannel();
    const { outbox, logs, worker } = setup([slack], {}, { prepare: () => Promise.reject(new Error('store gone')) });
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(slack.rendered).toEqual([undefined]);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'could not prepare the notification; sending it as stored', channel: 'slack' }),
    );
  });

  it('sends the notification as stored once a hook that never answers is past its limit', async () => {
    const slack = renderingChannel();
    const signals: AbortSignal[] = [];
    const prepare = (_notice: Notification, { signal }: { signal: AbortSignal }): Promise<Notification> => {
      signals.push(signal);
      return new Promise(() => {});
    };
    const { outbox, worker } = setup([slack], {}, { prepare, prepareLimitMs: 50 });
    const [id] = outbox.enqueue(notification(), [{ channel: 'slack' }]);
    worker.start();

    await outbox.until(() => outbox.job(id!).state === 'sent', 'the job sent');
    expect(slack.rendered).toEqual([undefined]);
    expect(signals[0]?.aborted).toBe(true);
  });
});
