// The outbox worker: sends the receiver's queued messages through their channels. It runs one loop per channel
// (channel-loop.ts), so a slow, failing or rate-limited provider never delays another; the store's leases make it
// safe to run beside other replicas' workers, and a crash loses nothing (a job whose lease ends is taken again).
// The receiver wakes it after committing a notification; between wakes it sleeps until the next job falls due.

import type { Logger } from '../log.js';
import type { DeliveryMetrics } from '../metrics/delivery-metrics.js';
import type { ChannelPolicy } from '../model/routing.js';
import type { Channel } from '../notify/channel.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { ChannelLoop } from './channel-loop.js';
import type { Notification } from '../model/notification.js';
import type { PrepareNotification } from './prepared-notification.js';

export interface OutboxWorkerOptions {
  store: OutboxStore;
  /** The channel a route names, or undefined when it is not configured. */
  channels: (name: string) => Channel<unknown> | undefined;
  /** The channels whose jobs this worker sends. */
  channelNames: readonly string[];
  policyOf: (name: string) => ChannelPolicy;
  /** How long a claimed job is this worker's (longer than any channel's timeout). */
  leaseMs: number;
  metrics: DeliveryMetrics;
  logger: Logger;
  now?: () => number;
  /** In [0, 1), for the backoff's jitter. */
  random?: () => number;
  /**
   * The longest a loop sleeps while nothing is due. wake() and the store's nextDue cover every job this process
   * writes and every lease that ends; the poll only bounds the delay of a job nothing announced (written by another
   * replica that died before sending it, or a clock step), and costs one indexed nextDue per channel per poll.
   */
  pollMs?: number;
  /** How long stop() waits for aborted attempts to record `retry`; past it their leases bring the jobs back. */
  stopGraceMs?: number;
  /**
   * Completes a stored notification before anything else (the receiver adds each alert's links from its settings
   * now); pure and quick, so it runs on every attempt, the prepare hook's fallback included.
   */
  complete?: (notification: Notification) => Notification;
  /** Run before each message is rendered (the receiver adds the alerts' diagnoses); see prepared-notification.ts. */
  prepare?: PrepareNotification;
  /** The hook's time at most, within the job's lease (default 30 s). */
  prepareLimitMs?: number;
}

const DEFAULT_POLL_MS = 1_000;
const DEFAULT_STOP_GRACE_MS = 5_000;
const DEFAULT_PREPARE_LIMIT_MS = 30_000;

export class OutboxWorker {
  readonly #options: OutboxWorkerOptions;
  readonly #stop = new AbortController();
  readonly #loops = new Map<string, ChannelLoop>();
  readonly #channels: Channel<unknown>[] = [];
  #running: Promise<void>[] = [];

  constructor(options: OutboxWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running.length > 0 || this.#stop.signal.aborted) return;
    const { channels, channelNames, policyOf, logger } = this.#options;
    for (const name of new Set(channelNames)) {
      const channel = channels(name);
      if (channel === undefined) {
        logger.warn({ channel: name }, 'no such channel is configured; its jobs wait in the outbox');
        continue;
      }
      const policy = policyOf(name);
      const prepareMs =
        this.#options.prepare === undefined ? 0 : (this.#options.prepareLimitMs ?? DEFAULT_PREPARE_LIMIT_MS);
      if (policy.timeoutMs + prepareMs >= this.#options.leaseMs) {
        logger.warn(
          { channel: name, timeoutMs: policy.timeoutMs, prepareMs, leaseMs: this.#options.leaseMs },
          "the outbox lease is not longer than the channel's timeout: another worker may send a job again while it is still being sent",
        );
      }
      const loop = new ChannelLoop({
        channel,
        policy,
        store: this.#options.store,
        leaseMs: this.#options.leaseMs,
        metrics: this.#options.metrics,
        logger,
        now: this.#options.now ?? Date.now,
        random: this.#options.random ?? Math.random,
        pollMs: this.#options.pollMs ?? DEFAULT_POLL_MS,
        stopSignal: this.#stop.signal,
        ...(this.#options.complete === undefined ? {} : { complete: this.#options.complete }),
        ...(this.#options.prepare === undefined ? {} : { prepare: this.#options.prepare }),
        prepareLimitMs: this.#options.prepareLimitMs ?? DEFAULT_PREPARE_LIMIT_MS,
      });
      this.#loops.set(name, loop);
      this.#channels.push(channel);
    }
    this.#running = [...this.#loops.values()].map((loop) =>
      loop.run().catch((error: unknown) => {
        logger.error({ err: error, channel: loop.name }, 'a delivery loop ended on an error');
      }),
    );
  }

  /** A job may be due now (the receiver committed a notification): the channel's loop, or every loop, looks again. */
  wake(channel?: string): void {
    if (channel === undefined) for (const loop of this.#loops.values()) loop.wake();
    else this.#loops.get(channel)?.wake();
  }

  /**
   * Aborts the sends in flight and resolves once every loop has ended and recorded them, or after the grace time;
   * then closes what the channels keep open.
   */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.wake();
    const graceMs = this.#options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const ended = Promise.all(this.#running).then(() => true);
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    try {
      if (!(await Promise.race([ended, graceOver]))) {
        this.#options.logger.warn(
          { graceMs },
          'stopped without the outcome of every attempt in flight; those jobs are taken again when their lease ends',
        );
      }
    } finally {
      clearTimeout(timer);
      for (const channel of this.#channels) channel.close?.();
    }
  }
}
