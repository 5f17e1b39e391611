// Enriches the alerts stored without enrichment: those an older Vigil accepted (it enriched after answering), or any
// ingest that ran without one. Ingest itself writes each new alert already enriched, in its own transaction, so this
// worker runs at start and finds nothing in steady state. The store is the queue; a failed pass is logged and
// retried after a pause, never dropped.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AlertEnrichment } from '../../model/alert.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { StoreCall } from '../store-calls.js';
import type { EnrichmentRule } from './enrich.js';

/** Alerts per store round trip; small, and the loop yields between batches, so requests are not held up long. */
const BATCH = 25;
const RETRY_MS = 1_000;

export interface EnricherOptions {
  store: AlertStore;
  call: StoreCall;
  enrichment: EnrichmentRule;
  logger: Logger;
}

export class Enricher {
  #running: Promise<void> | undefined;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EnricherOptions) {}

  /** Enriches, in the background, every alert still without enrichment; a pass already due or running covers it. */
  start(delayMs = 0): void {
    if (this.#stopped || this.#running !== undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#run().finally(() => {
        this.#running = undefined;
      });
    }, delayMs);
  }

  /** Resolves once no pass is running or waiting to run (for shutdown). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    try {
      // Affected checks are counted once per alert name and pass: a pass lasts moments, the count barely moves.
      const affected = new Map<string, number>();
      while (!this.#stopped && (await this.#enrichBatch(affected)) === BATCH) await yieldToEventLoop();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'alert enrichment failed; retrying shortly');
      // After this pass has settled, so the retry is not swallowed by the running-pass check.
      setImmediate(() => this.start(RETRY_MS));
    }
  }

  async #enrichBatch(affected: Map<string, number>): Promise<number> {
    const { store, call, enrichment } = this.options;
    const pending = await call('enrich', () => store.pendingEnrichment(BATCH));
    const enrichments: Array<{ id: string; enrichment: AlertEnrichment }> = [];
    for (const alert of pending) {
      let checks = affected.get(alert.alertname);
      if (checks === undefined) {
        const name = alert.alertname;
        checks = Math.max(1, await call('enrich', () => store.affectedChecks(name, enrichment.affectedChecksCap)));
        affected.set(alert.alertname, checks);
      }
      enrichments.push({ id: alert.id, enrichment: enrichment.enrich(alert, checks) });
    }
    await call('enrich', () => store.saveEnrichments(enrichments));
    return pending.length;
  }
}
