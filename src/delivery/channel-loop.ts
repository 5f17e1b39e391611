// One channel's delivery loop: claims the channel's due jobs up to its concurrency, runs each attempt (the
// notification prepared by the receiver's hook first, when it has one), records what it came to, and sleeps until the
// next job falls due, an attempt ends, or the worker is woken. Each channel has a loop of its own, so a slow or
// failing provider delays only its own messages.

import type { Logger } from '../log.js';
import type { DeliveryMetrics } from '../metrics/delivery-metrics.js';
import type { ClaimedDelivery, DeliveryResult } from '../model/delivery.js';
import type { Notification } from '../model/notification.js';
import type { ChannelPolicy } from '../model/routing.js';
import type { Channel } from '../notify/channel.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { attemptResult } from './attempt-result.js';
import { type PrepareNotification, preparedNotification } from './prepared-notification.js';
import { sendAttempt } from './send-attempt.js';

export interface ChannelLoopOptions {
  channel: Channel<unknown>;
  policy: ChannelPolicy;
  store: OutboxStore;
  leaseMs: number;
  metrics: DeliveryMetrics;
  logger: Logger;
  now: () => number;
  random: () => number;
  /** The longest sleep while nothing is due: a safety net for a job no wake() announced. */
  pollMs: number;
  /** Fires when the worker stops: the loop ends and sends in flight are aborted. */
  stopSignal: AbortSignal;
  /** Completes the stored notification (its links); a failure sends it as stored. */
  complete?: (notification: Notification) => Notification;
  /** Run before each message is rendered, within its limit. */
  prepare?: PrepareNotification;
  prepareLimitMs: number;
}

/**
 * The shortest sleep between turns: a job due at once was claimed in this turn, so a due time already past means it
 * fell due a moment ago, or the store and the clock disagree; either way the loop must not spin.
 */
const MIN_WAIT_MS = 10;

/** While the store keeps failing, the loop waits this long at most between tries (it doubles from pollMs). */
const MAX_STORE_RETRY_MS = 30_000;

export class ChannelLoop {
  readonly #options: ChannelLoopOptions;
  readonly #inFlight = new Set<Promise<void>>();
  /** Until when the provider asked for quiet (Retry-After): no job of the channel is claimed before. */
  #pausedUntil = 0;
  #storeFailures = 0;
  /** Set by wake(): the next sleep is skipped, so a wake that came during a claim is not lost. */
  #woken = false;
  #endSleep: (() => void) | undefined;

  constructor(options: ChannelLoopOptions) {
    this.#options = options;
  }

  get name(): string {
    return this.#options.channel.name;
  }

  /** Ends the current sleep: a job may be due now. */
  wake(): void {
    this.#woken = true;
    this.#endSleep?.();
  }

  /** Runs until the stop signal fires, then waits for the attempts in flight to record their outcome. */
  async run(): Promise<void> {
    const { stopSignal } = this.#options;
    while (!stopSignal.aborted) {
      this.#woken = false;
      const waitMs = await this.#turn();
      await this.#sleep(waitMs);
    }
    await Promise.allSettled(this.#inFlight);
  }

  /** Claims what the free slots allow and starts those attempts; answers how long to sleep before the next turn. */
  async #turn(): Promise<number> {
    const { channel, policy, store, leaseMs, now, pollMs, stopSignal } = this.#options;
    const pausedMs = this.#pausedUntil - now();
    if (pausedMs > 0) return pausedMs;
    const free = policy.concurrency - this.#inFlight.size;
    // Every slot busy: an attempt that ends wakes the loop.
    if (free <= 0) return pollMs;
    try {
      const jobs = await store.claim(channel.name, now(), leaseMs, free);
      this.#storeFailures = 0;
      for (const job of jobs) this.#start(job);
      if (jobs.length === free || stopSignal.aborted) return pollMs;
      const nextDue = await store.nextDue(channel.name);
      return nextDue === undefined ? pollMs : Math.min(Math.max(MIN_WAIT_MS, nextDue - now()), pollMs);
    } catch (error) {
      this.#storeFailures += 1;
      const retryMs = Math.min(MAX_STORE_RETRY_MS, pollMs * 2 ** (this.#storeFailures - 1));
      this.#options.logger.warn(
        { err: error, channel: channel.name, failures: this.#storeFailures, retryMs },
        'could not read the outbox; trying again',
      );
      return retryMs;
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken || this.#options.stopSignal.aborted || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.#endSleep = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.#endSleep = end;
    });
  }

  #start(job: ClaimedDelivery): void {
    const attempt = this.#attempt(job)
      .catch((error: unknown) => {
        // Not expected (an attempt turns every failure into an outcome); the lease brings the job back.
        this.#options.logger.error({ err: error, channel: this.name, delivery: job.id }, 'a delivery attempt failed');
      })
      .finally(() => {
        this.#inFlight.delete(attempt);
        this.wake();
      });
    this.#inFlight.add(attempt);
  }

  #completed(stored: Notification, fields: Record<string, unknown>): Notification {
    const { complete, logger } = this.#options;
    if (complete === undefined) return stored;
    try {
      return complete(stored);
    } catch (error) {
      logger.warn({ ...fields, err: error }, 'could not complete the notification; sending it as stored');
      return stored;
    }
  }

  async #attempt(job: ClaimedDelivery): Promise<void> {
    const { channel, policy, store, now, random, stopSignal, logger } = this.#options;
    const fields = { channel: channel.name, delivery: job.id, attempt: job.attempt };
    const notification = await preparedNotification(this.#completed(job.notification, fields), {
      prepare: this.#options.prepare,
      limitMs: this.#options.prepareLimitMs,
      stopSignal,
      logger,
      fields,
    });
    const outcome = await sendAttempt({
      channel,
      job: { ...job, notification },
      timeoutMs: policy.timeoutMs,
      stopSignal,
    });
    const result = attemptResult(outcome, { job, policy, now: now(), random });
    // A rate limit is the webhook's, not the job's: every job of the channel waits.
    if (outcome.kind === 'retry' && outcome.afterMs !== undefined) {
      this.#pausedUntil = Math.max(this.#pausedUntil, result.at + outcome.afterMs);
    }
    let recorded: boolean;
    try {
      recorded = await store.finish(job.id, job.attempt, result);
    } catch (error) {
      logger.error(
        { ...fields, err: error },
        'could not record a delivery attempt; the job is tried again when its lease ends',
      );
      return;
    }
    if (!recorded) {
      logger.warn(
        fields,
        'the delivery lease ran out during the attempt and another took the job; its outcome is dropped',
      );
      return;
    }
    this.#report(job, result);
  }

  #report(job: ClaimedDelivery, result: DeliveryResult): void {
    const { channel, metrics, logger } = this.#options;
    const fields = {
      channel: channel.name,
      ...(job.recipient === undefined ? {} : { recipient: job.recipient }),
      group: job.notification.groupKey,
      delivery: job.id,
      attempt: job.attempt,
    };
    switch (result.kind) {
      case 'sent':
        metrics.sent(channel.name, job.acceptedAt, result.at);
        logger.debug(fields, 'notification sent');
        return;
      case 'retry':
        metrics.retried(channel.name);
        logger.info(
          { ...fields, reason: result.error, nextAttemptAt: new Date(result.nextAttemptAt).toISOString() },
          'notification attempt failed; retrying',
        );
        return;
      case 'dead':
        metrics.dead(channel.name);
        logger.error({ ...fields, attempts: job.attempt, reason: result.error }, 'notification given up');
        return;
    }
  }
}
