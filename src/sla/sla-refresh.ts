// Keeps the figures behind `uptime_sla_percent` and `uptime_sla_target_percent` fresh: recomputes them from the store
// now and then and hands each check's figures to the metrics. The prober role starts it once the first rollup
// catch-up is done (so the first figures read rollups rather than raw results) and stops it on shutdown.

import type { Logger } from 'pino';
import type { SlaFigures } from './sla-service.js';

export interface SlaRefreshOptions {
  /** The figures of every configured check (SlaService.metricsFigures). */
  figures: () => Promise<ReadonlyMap<string, SlaFigures>>;
  /** Receives one check's figures (CheckMetrics.setSla). */
  publish: (checkId: string, figures: SlaFigures) => void;
  logger: Logger;
  /** The shortest pause between two refreshes. */
  everyMs?: number;
  /** A refresh is followed by a pause of at least this many times its own duration. */
  dutyFactor?: number;
  /** Milliseconds from any fixed origin, to time a refresh; performance.now by default. */
  now?: () => number;
}

const DEFAULT_EVERY_MS = 30_000;
const DEFAULT_DUTY_FACTOR = 10;

/**
 * Refreshes never overlap. The pause after one is at least `everyMs` and at least `dutyFactor` times as long as the
 * refresh took, so a cold store (no rollups yet: seconds per refresh with many checks) costs a bounded share of a
 * core. A failed refresh is logged and the old figures stay until the next one.
 */
export class SlaRefresh {
  readonly #options: SlaRefreshOptions;
  readonly #everyMs: number;
  readonly #dutyFactor: number;
  readonly #now: () => number;
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(options: SlaRefreshOptions) {
    this.#options = options;
    this.#everyMs = options.everyMs ?? DEFAULT_EVERY_MS;
    this.#dutyFactor = options.dutyFactor ?? DEFAULT_DUTY_FACTOR;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Refreshes now, then again and again; the promise settles when the first refresh is done (it never rejects: a failed
   * refresh is logged). Does nothing once stopped (a start that comes after shutdown began).
   */
  start(): Promise<void> {
    if (this.#state !== 'idle') return Promise.resolve();
    this.#state = 'running';
    return this.#run();
  }

  /** Stops scheduling and waits for a refresh in progress. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    clearTimeout(this.#timer);
    await this.#inFlight;
  }

  #run(): Promise<void> {
    const started = this.#now();
    const inFlight = this.#refresh().finally(() => {
      this.#inFlight = undefined;
      if (this.#state === 'running')
        this.#schedule(Math.max(this.#everyMs, this.#dutyFactor * (this.#now() - started)));
    });
    this.#inFlight = inFlight;
    return inFlight;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => void this.#run(), delayMs);
    this.#timer.unref();
  }

  async #refresh(): Promise<void> {
    const { figures, publish, logger } = this.#options;
    try {
      for (const [checkId, checkFigures] of await figures()) publish(checkId, checkFigures);
    } catch (error) {
      logger.error({ err: error }, 'could not refresh SLA figures');
    }
  }
}
