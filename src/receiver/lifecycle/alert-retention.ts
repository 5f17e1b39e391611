// Deletes closed alerts (and their events) that ended longer ago than `retention.alerts`: at start, then hourly.
// The receiver does this itself because it may run alone (`vigil receiver`), without the prober's retention job.

import type { Logger } from 'pino';
import type { AlertStore } from '../../store/alert-store.js';
import { PeriodicJob } from '../../store/periodic-job.js';
import type { Clock } from '../clock.js';
import type { StoreCall } from '../store-calls.js';

const HOUR_MS = 3_600_000;

export interface AlertRetentionOptions {
  store: AlertStore;
  call: StoreCall;
  clock: Clock;
  logger: Logger;
  /** How long closed alerts are kept; undefined keeps them for ever. */
  keepMs: number | undefined;
}

export class AlertRetention {
  readonly #job: PeriodicJob;

  constructor(private readonly options: AlertRetentionOptions) {
    this.#job = new PeriodicJob(
      () => this.runOnce(),
      (error) => options.logger.error({ err: error }, 'alert retention: pruning failed; retrying at the next run'),
    );
  }

  start(everyMs = HOUR_MS): void {
    if (this.options.keepMs !== undefined) this.#job.start(everyMs);
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Prunes now; resolves with how many alerts were deleted. */
  async runOnce(): Promise<number> {
    const { store, call, clock, logger, keepMs } = this.options;
    if (keepMs === undefined) return 0;
    const deleted = await call('prune', () => store.prune(clock.now() - keepMs));
    if (deleted > 0) logger.info({ deleted }, 'alert retention: pruned closed alerts');
    return deleted;
  }
}
