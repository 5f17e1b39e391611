// Group commit for webhook ingest: notifications that arrive while the event loop is busy are written in one store
// transaction, and each is answered once that transaction has committed. A commit costs about the same for one
// notification as for twenty (the same index pages are written either way), so under load this multiplies what a
// receiver can accept without weakening "200 only once durable". If the transaction fails, every notification in
// it is refused, and none of them is stored.

import type { IncomingNotification } from '../../model/alert.js';
import type { AlertStore, AppliedNotification, IngestPlanners } from '../../store/alert-store.js';

/** Alerts per transaction at most: bounds how long one commit holds the (synchronous) SQLite driver. */
export const MAX_BATCH_ALERTS = 1_000;

interface Waiting<Outcome extends string> {
  notification: IncomingNotification;
  resolve(applied: AppliedNotification<Outcome>): void;
  reject(error: unknown): void;
}

export class IngestBatcher<Outcome extends string> {
  readonly #queue: Array<Waiting<Outcome>> = [];
  #scheduled = false;
  #flushing = false;

  constructor(
    private readonly write: (
      notifications: readonly IncomingNotification[],
    ) => Promise<Array<AppliedNotification<Outcome>>>,
  ) {}

  static over<Outcome extends string>(store: AlertStore, planners: IngestPlanners<Outcome>): IngestBatcher<Outcome> {
    return new IngestBatcher((notifications) => store.ingest(notifications, planners));
  }

  /** Resolves with what this notification wrote once it is committed. */
  submit(notification: IncomingNotification): Promise<AppliedNotification<Outcome>> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ notification, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    // After the requests already read off their sockets in this turn of the loop have queued theirs.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flushing = true;
      void this.#flush().finally(() => {
        this.#flushing = false;
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#take();
    try {
      const applied = await this.write(batch.map((waiting) => waiting.notification));
      batch.forEach((waiting, index) => waiting.resolve(applied[index]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  /** The oldest notifications up to MAX_BATCH_ALERTS alerts (always at least one, however large). */
  #take(): Array<Waiting<Outcome>> {
    let count = 0;
    let taken = 0;
    while (taken < this.#queue.length) {
      const size = this.#queue[taken]!.notification.alerts.length;
      if (taken > 0 && count + size > MAX_BATCH_ALERTS) break;
      count += size;
      taken += 1;
    }
    return this.#queue.splice(0, taken);
  }
}
