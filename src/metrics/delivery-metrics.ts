// The receiver's delivery metrics, on the receiver's registry: messages by channel and outcome (what the outbox
// worker recorded, plus destinations written `unconfigured`), how long a sent message took from the accepted
// webhook, and the outbox's jobs by channel and state, read from the store at scrape time so every replica reports
// the same. Channel names come from config, never from alert labels, so the series stay few.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { LIVE_DELIVERY_STATES } from '../model/delivery.js';
import type { OutboxStore } from '../store/outbox-store.js';

export const DELIVERY_OUTCOMES = ['sent', 'retry', 'dead', 'unconfigured'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** From a fast webhook to a provider down for most of an hour (the default age limit is longer; +Inf holds the rest). */
export const DELIVERY_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export interface DeliveryMetricsOptions {
  /** The receiver's registry (ReceiverMetrics.registry). */
  registry: Registry;
  outbox: Pick<OutboxStore, 'counts'>;
  logger: Logger;
  /** The configured channels: their series exist at zero from the start, so rate() and alerts see them. */
  channels?: readonly string[];
}

export class DeliveryMetrics {
  readonly #messages: Counter<'channel' | 'outcome'>;
  readonly #deliverySeconds: Histogram<'channel'>;

  constructor({ registry, outbox, logger, channels = [] }: DeliveryMetricsOptions) {
    const registers = [registry];
    this.#messages = new Counter({
      name: 'vigil_notifications_total',
      help: 'Notification messages by channel and outcome: sent, retry (an attempt failed and will be retried), dead (given up), unconfigured (the channel has no credentials).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.#deliverySeconds = new Histogram({
      name: 'vigil_notification_delivery_seconds',
      help: 'Time from the receiver accepting a notification to its message being sent, by channel.',
      labelNames: ['channel'],
      buckets: DELIVERY_SECONDS_BUCKETS,
      registers,
    });
    // Every channel ever reported keeps its series (at zero), so a state that empties shows 0 rather than vanishing.
    const known = new Set(channels);
    new Gauge({
      name: 'vigil_outbox_jobs',
      help: 'Jobs in the delivery outbox waiting (pending), being sent (sending) or given up (dead), by channel.',
      labelNames: ['channel', 'state'],
      registers,
      async collect() {
        let rows;
        try {
          rows = await outbox.counts();
        } catch (error) {
          logger.warn({ err: error }, 'could not count outbox jobs for /metrics; showing the previous counts');
          return;
        }
        for (const row of rows) known.add(row.channel);
        for (const channel of known) for (const state of LIVE_DELIVERY_STATES) this.set({ channel, state }, 0);
        for (const row of rows) this.set({ channel: row.channel, state: row.state }, row.count);
      },
    });
    for (const channel of channels) {
      for (const outcome of DELIVERY_OUTCOMES) this.#messages.inc({ channel, outcome }, 0);
      this.#deliverySeconds.zero({ channel });
    }
  }

  /** An attempt failed and the job waits for another. */
  retried(channel: string): void {
    this.#messages.inc({ channel, outcome: 'retry' });
  }

  /** A job given up: the provider refused it, or it ran out of attempts or time. */
  dead(channel: string): void {
    this.#messages.inc({ channel, outcome: 'dead' });
  }

  /** A message sent: counts it and observes the time since its notification was accepted. */
  sent(channel: string, acceptedAt: number, sentAt: number): void {
    this.#messages.inc({ channel, outcome: 'sent' });
    this.#deliverySeconds.observe({ channel }, Math.max(0, sentAt - acceptedAt) / 1000);
  }

  /** Destinations the receiver wrote as `unconfigured` (their channel has no credentials): nothing will send them. */
  unconfigured(channel: string, count = 1): void {
    this.#messages.inc({ channel, outcome: 'unconfigured' }, count);
  }
}
