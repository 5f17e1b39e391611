// An OutboxStore in memory for the outbox worker's unit tests, keeping the interface's promises faithfully: due
// jobs are claimed oldest accepted first under a lease, each claim counts an attempt, a result for an attempt that
// is no longer the job's current one is refused, and nextDue covers pending jobs and running leases. Tests wait on
// it (`until`) for what the worker records, rather than for a time.

import {
  type ClaimedDelivery,
  type DeliveryRecord,
  type DeliveryResult,
  type Destination,
  LIVE_DELIVERY_STATES,
} from '../../src/model/delivery.js';
import type { Notification } from '../../src/model/notification.js';
import type { OutboxCount, OutboxStore } from '../../src/store/outbox-store.js';

interface Job extends DeliveryRecord {
  notification: Notification;
  alertIds: readonly string[];
  leaseUntil?: number;
}

/** How long `until` waits before it fails, so a broken worker fails its test rather than hanging it. */
const UNTIL_DEADLINE_MS = 5_000;

export class MemoryOutbox implements OutboxStore {
  readonly #jobs = new Map<number, Job>();
  readonly #listeners = new Set<() => void>();
  #nextId = 1;
  /** Every claim as it was asked: which channel, at what time, for how many. */
  readonly claims: Array<{ channel: string; now: number; limit: number; taken: number }> = [];
  /** Every finish as it was asked, and whether it was written. */
  readonly finishes: Array<{ id: number; attempt: number; kind: DeliveryResult['kind']; recorded: boolean }> = [];

  /** Writes one pending job per destination, as the ingest transaction does; answers their ids. */
  enqueue(notification: Notification, destinations: Destination[], alertIds: readonly string[] = []): number[] {
    return destinations.map((destination) => {
      const id = this.#nextId++;
      this.#jobs.set(id, {
        id,
        notificationId: `${notification.groupKey}#${notification.stateKey}`,
        channel: destination.channel,
        ...(destination.recipient === undefined ? {} : { recipient: destination.recipient }),
        state: 'pending',
        attempts: 0,
        acceptedAt: notification.acceptedAt,
        nextAttemptAt: notification.acceptedAt,
        notification,
        alertIds,
      });
      this.#changed();
      return id;
    });
  }

  /** A job as the delivery log would show it. */
  job(id: number): DeliveryRecord {
    const job = this.#jobs.get(id);
    if (job === undefined) throw new Error(`no job ${id}`);
    return record(job);
  }

  /** Resolves once `condition` holds after some change (or at once); fails after a deadline naming `what`. */
  until(condition: () => boolean, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the outbox never came to: ${what}`));
      }, UNTIL_DEADLINE_MS);
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
    });
  }

  claim(channel: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const due = [...this.#jobs.values()]
      .filter((job) => job.channel === channel && isDue(job, now))
      .sort((a, b) => a.acceptedAt - b.acceptedAt || a.id - b.id)
      .slice(0, limit);
    for (const job of due) {
      job.state = 'sending';
      job.attempts += 1;
      job.leaseUntil = now + leaseMs;
      delete job.nextAttemptAt;
    }
    this.claims.push({ channel, now, limit, taken: due.length });
    if (due.length > 0) this.#changed();
    return Promise.resolve(
      due.map((job) => ({
        id: job.id,
        attempt: job.attempts,
        channel: job.channel,
        ...(job.recipient === undefined ? {} : { recipient: job.recipient }),
        acceptedAt: job.acceptedAt,
        notification: job.notification,
      })),
    );
  }

  finish(id: number, attempt: number, result: DeliveryResult): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (job === undefined || job.state !== 'sending' || job.attempts !== attempt) {
      this.finishes.push({ id, attempt, kind: result.kind, recorded: false });
      this.#changed();
      return Promise.resolve(false);
    }
    this.finishes.push({ id, attempt, kind: result.kind, recorded: true });
    delete job.leaseUntil;
    switch (result.kind) {
      case 'sent':
        job.state = 'sent';
        job.sentAt = result.at;
        if (result.providerId !== undefined) job.providerId = result.providerId;
        break;
      case 'retry':
        job.state = 'pending';
        job.nextAttemptAt = result.nextAttemptAt;
        job.lastError = result.error;
        break;
      case 'dead':
        job.state = 'dead';
        job.lastError = result.error;
        break;
    }
    this.#changed();
    return Promise.resolve(true);
  }

  nextDue(channel: string): Promise<number | undefined> {
    const times = [...this.#jobs.values()]
      .filter((job) => job.channel === channel)
      .map((job) =>
        job.state === 'pending' ? job.nextAttemptAt : job.state === 'sending' ? job.leaseUntil : undefined,
      )
      .filter((time): time is number => time !== undefined);
    return Promise.resolve(times.length === 0 ? undefined : Math.min(...times));
  }

  counts(): Promise<OutboxCount[]> {
    const counts = new Map<string, OutboxCount>();
    for (const job of this.#jobs.values()) {
      if (!(LIVE_DELIVERY_STATES as readonly string[]).includes(job.state)) continue;
      const key = `${job.channel}\u0000${job.state}`;
      const row = counts.get(key) ?? { channel: job.channel, state: job.state, count: 0 };
      row.count += 1;
      counts.set(key, row);
    }
    return Promise.resolve([...counts.values()]);
  }

  deliveriesOf(alertId: string): Promise<DeliveryRecord[]> {
    return Promise.resolve(
      [...this.#jobs.values()]
        .filter((job) => job.alertIds.includes(alertId))
        .sort((a, b) => a.acceptedAt - b.acceptedAt || a.id - b.id)
        .map(record),
    );
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

function isDue(job: Job, now: number): boolean {
  if (job.state === 'pending') return (job.nextAttemptAt ?? 0) <= now;
  return job.state === 'sending' && (job.leaseUntil ?? 0) <= now;
}

function record(job: Job): DeliveryRecord {
  const { notification: _notification, alertIds: _alertIds, leaseUntil: _leaseUntil, ...rest } = job;
  return { ...rest };
}
