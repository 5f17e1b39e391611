// Deletes what the retention settings no longer keep: once at start, then hourly. The settings are read at each
// run, so a reload takes effect at the next one.

import type { Logger } from 'pino';
import type { Retention } from '../model/retention.js';
import { PeriodicJob } from './periodic-job.js';
import type { PruneCounts, Store } from './store.js';

export interface RetentionJobOptions {
  store: Pick<Store, 'prune'>;
  retention: () => Retention;
  logger: Logger;
  now?: () => number;
}

const HOUR_MS = 3_600_000;

export class RetentionJob {
  readonly #options: RetentionJobOptions;
  readonly #now: () => number;
  readonly #job: PeriodicJob;
  #inFlight: Promise<PruneCounts> | undefined;

  constructor(options: RetentionJobOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#job = new PeriodicJob(
      () => this.runOnce(),
      (error) => options.logger.error({ err: error }, 'retention: pruning failed; retrying at the next run'),
    );
  }

  /** Prunes now; a call while a run is in progress joins that run. */
  runOnce(): Promise<PruneCounts> {
    this.#inFlight ??= this.#prune().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  start(everyMs = HOUR_MS): void {
    this.#job.start(everyMs);
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  async #prune(): Promise<PruneCounts> {
    const started = Date.now();
    const counts = await this.#options.store.prune(this.#now(), this.#options.retention());
    this.#options.logger.info({ ...counts, durationMs: Date.now() - started }, 'retention: pruned old records');
    return counts;
  }
}
