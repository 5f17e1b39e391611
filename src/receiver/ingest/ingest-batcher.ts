// Group commit for webhook ingest: notifications that arrive while the event loop is busy are written in one store
// transaction, and each is answered once that transaction has committed. A commit costs about the same for one
// notification as for twenty (the same index pages are written either way), so under load this multiplies what a
// receiver can accept without weakening "200 only once durable". If the transaction fails, every notification in
// it is refused, and none of them is stored.

import type { IncomingAlert } from '../../model/alert.js';
import type { AlertStore, AppliedChange, IngestEnrichment, IngestPlanner } from '../../store/alert-store.js';

/** Alerts per transaction at most: bounds how long one commit holds the (synchronous) SQLite driver. */
export const MAX_BATCH_ALERTS = 1_000;

interface Waiting<Outcome extends string> {
  alerts: readonly IncomingAlert[];
  resolve(changes: Array<AppliedChange<Outcome>>): void;
  reject(error: unknown): void;
}

export class IngestBatcher<Outcome extends string> {
  readonly #queue: Array<Waiting<Outcome>> = [];
  #scheduled = false;
  #flushing = false;

  constructor(private readonly write: (alerts: readonly IncomingAlert[]) => Promise<Array<AppliedChange<Outcome>>>) {}

  static over<Outcome extends string>(
    store: AlertStore,
    plan: IngestPlanner<Outcome>,
    enrichment: IngestEnrichment,
  ): IngestBatcher<Outcome> {
    return new IngestBatcher((alerts) => store.ingest(alerts, plan, enrichment));
  }

  /** Resolves with this notification's changes once they are committed. */
  submit(alerts: readonly IncomingAlert[]): Promise<Array<AppliedChange<Outcome>>> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ alerts, resolve, reject });
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
      const changes = await this.write(batch.flatMap((waiting) => waiting.alerts));
      let offset = 0;
      for (const waiting of batch) {
        waiting.resolve(changes.slice(offset, offset + waiting.alerts.length));
        offset += waiting.alerts.length;
      }
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  /** The oldest notifications up to MAX_BATCH_ALERTS alerts (always at least one, however large). */
  #take(): Array<Waiting<Outcome>> {
    let count = 0;
    let taken = 0;
    while (taken < this.#queue.length) {
      const size = this.#queue[taken]!.alerts.length;
      if (taken > 0 && count + size > MAX_BATCH_ALERTS) break;
      count += size;
      taken += 1;
    }
    return this.#queue.splice(0, taken);
  }
}
