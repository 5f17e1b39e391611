// Enriches alerts after the webhook has been answered. The store is the queue: the worker asks it for alerts still
// without enrichment, so alerts accepted just before a crash are enriched after the restart. Ingest only nudges the
// worker; a failed pass is logged and retried after a pause, never dropped.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AlertEnrichment, AlertStore } from '../../store/alert-store.js';
import type { Clock } from '../clock.js';
import type { StoreCall } from '../store-calls.js';
import { enrich } from './enrich.js';
import type { LinkSettings } from './links.js';

/** Alerts per store round trip; small, and the loop yields between batches, so requests are not held up long. */
const BATCH = 25;
const RETRY_MS = 1_000;
/** Nudges within this delay share one pass: under load a pass enriches a batch, not one notification's alerts. */
const COALESCE_MS = 100;
/** Counting affected checks stops here: priority and impact only need to know it is many. */
export const AFFECTED_CHECKS_CAP = 1_000;

export interface EnricherOptions {
  store: AlertStore;
  call: StoreCall;
  links: LinkSettings;
  clock: Clock;
  logger: Logger;
}

export class Enricher {
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EnricherOptions) {}

  /** Asks for a pass soon; passes never overlap, and a nudge during a pass runs one more after it. */
  nudge(delayMs = COALESCE_MS): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#run().finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.nudge();
        }
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
      this.#again = false;
      // After this pass has settled, so the retry is not swallowed by the running-pass check.
      setImmediate(() => this.nudge(RETRY_MS));
    }
  }

  async #enrichBatch(affected: Map<string, number>): Promise<number> {
    const { store, call, links, clock } = this.options;
    const pending = await call('enrich', () => store.pendingEnrichment(BATCH));
    const enrichments: Array<{ id: string; enrichment: AlertEnrichment }> = [];
    for (const alert of pending) {
      let checks = affected.get(alert.alertname);
      if (checks === undefined) {
        const name = alert.alertname;
        checks = Math.max(1, await call('enrich', () => store.affectedChecks(name, AFFECTED_CHECKS_CAP)));
        affected.set(alert.alertname, checks);
      }
      enrichments.push({ id: alert.id, enrichment: enrich(alert, checks, links, clock.now()) });
    }
    await call('enrich', () => store.saveEnrichments(enrichments));
    return pending.length;
  }
}
