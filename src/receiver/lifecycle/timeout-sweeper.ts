// The periodic job that moves alerts on when their time is up: active alerts Alertmanager stopped re-sending expire
// after the TTL, suppressions that ended return their alert to active. The clock is injected; the period only says
// how often to look. Passes never overlap, and each alert is re-decided inside its own transaction.

import type { Logger } from 'pino';
import type { AlertStore, AlertWriteObserver } from '../../store/alert-store.js';
import type { Clock } from '../clock.js';
import type { ReceiverMetrics } from '../../metrics/receiver-metrics.js';
import type { Silences } from '../silences/alertmanager-silences.js';
import { expireRequestedSilences } from '../silences/silence-expiry.js';
import type { StoreCall } from '../store-calls.js';
import { timeOut } from './transitions.js';

const BATCH = 200;

export interface TimeoutSweeperOptions {
  store: AlertStore;
  call: StoreCall;
  metrics: ReceiverMetrics;
  silences: Silences | undefined;
  clock: Clock;
  logger: Logger;
  /** Told of every alert a change closes or reopens (the ingest enrichment's counts). */
  affectedChecks?: AlertWriteObserver;
  ttlMs: number;
  periodMs: number;
}

export class TimeoutSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(private readonly options: TimeoutSweeperOptions) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.sweep(), this.options.periodMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass; resolves with how many alerts changed. A pass already running is joined, not doubled. */
  sweep(): Promise<number> {
    this.#running ??= this.#pass()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'alert timeout pass failed; the next one retries');
        return 0;
      })
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const { store, call, metrics, silences, clock, logger, ttlMs, affectedChecks } = this.options;
    let changed = 0;
    for (;;) {
      const now = clock.now();
      const due = await call('timeout', () => store.dueForTimeout(now - ttlMs, now, BATCH));
      let changedNow = 0;
      for (const alert of due) {
        const applied = await call('timeout', () =>
          store.change(alert.id, (current) => timeOut(current, now, ttlMs), affectedChecks),
        );
        if (applied === undefined || applied.outcome === 'unchanged') continue;
        changedNow += 1;
        await expireRequestedSilences(applied.events, silences, logger, (operation, result) =>
          metrics.silenceRequest(operation, result),
        );
      }
      changed += changedNow;
      // A full batch in which nothing was due after all would come back forever: stop and let the next pass look.
      if (due.length < BATCH || changedNow === 0) return changed;
    }
  }
}
