// Diagnoses new firings in the background, after their ingest has committed: ingest hands over the alerts it wrote
// and answers Alertmanager at once, never waiting for a diagnosis. A few run at a time (each costs a handful of store
// reads), and they start at a bounded pace, so a storm of alerts does not starve ingest: at a flood of new alerts
// (the ingest benchmark's 9,000 a second) unpaced diagnoses took half the receiver's CPU, 200 a second a sixth. A delivery does not wait
// for this queue: it diagnoses the alerts it sends itself. The AI part runs outside these slots, bounded by its own
// budget. The store is the queue behind the one in memory: at start, and whenever the memory queue overflowed, the
// open alerts are read and those without a diagnosis of their current firing are diagnosed.

import type { Logger } from 'pino';
import type { AlertRecord } from '../../model/alert.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { AlertDiagnoses } from './alert-diagnoses.js';
import { diagnosisKey, wantsDiagnosis } from './diagnosis-state.js';

/** Diagnoses gathering evidence at once. */
const CONCURRENCY = 2;
/** Alerts waiting in memory at most; past it the store is read again once the queue drains. */
const MAX_QUEUED = 1_000;
/** Open alerts read from the store per scan, newest first. */
const SCAN_LIMIT = 500;
const RETRY_MS = 5_000;
/**
 * Background diagnoses started per second at most, and how many may start at once after a quiet spell: a storm of a
 * thousand alerts is diagnosed within half a minute for the API, while each delivery diagnoses the alerts it sends
 * at once, without this queue.
 */
const PER_SECOND = 50;
const BURST = 50;

export interface DiagnosisQueueOptions {
  diagnoses: AlertDiagnoses;
  alerts: Pick<AlertStore, 'list'>;
  logger: Logger;
}

export class DiagnosisQueue {
  readonly #waiting = new Map<string, AlertRecord>();
  #running = 0;
  /** Some alert was turned away (or the store not read yet): scan it once the queue is empty. */
  #rescan = false;
  #scanning: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Starts allowed now (a token bucket refilled at PER_SECOND), and when it was last refilled. */
  #tokens = BURST;
  #refilledAt = performance.now();
  #paced: NodeJS.Timeout | undefined;

  constructor(private readonly options: DiagnosisQueueOptions) {}

  /** Reads the store for firings left undiagnosed (by a restart, or a full queue). */
  start(): void {
    this.#rescan = true;
    this.#pump();
  }

  /** Alerts an ingest just wrote: the open ones at a firing not diagnosed yet are queued. */
  offer(alerts: readonly AlertRecord[]): void {
    if (this.#stopped) return;
    const { aiConfigured } = this.options.diagnoses;
    for (const alert of alerts) {
      if (!wantsDiagnosis(alert, aiConfigured) || this.options.diagnoses.settled(alert)) continue;
      if (this.#waiting.size >= MAX_QUEUED) {
        this.#rescan = true;
        break;
      }
      this.#waiting.set(diagnosisKey(alert), alert);
    }
    this.#pump();
  }

  /** Drops what waits and waits for the scan in flight; the runs themselves are the diagnoses' to stop. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#waiting.clear();
    clearTimeout(this.#timer);
    clearTimeout(this.#paced);
    await this.#scanning;
  }

  #pump(): void {
    if (this.#stopped) return;
    while (this.#running < CONCURRENCY) {
      const next = this.#waiting.entries().next().value;
      if (next === undefined) break;
      // Diagnosed meanwhile by a delivery of the alert, which does not wait for this queue.
      if (this.options.diagnoses.settled(next[1])) {
        this.#waiting.delete(next[0]);
        continue;
      }
      if (!this.#takeToken()) {
        this.#paced ??= setTimeout(() => {
          this.#paced = undefined;
          this.#pump();
        }, 1_000 / PER_SECOND);
        break;
      }
      const [key, alert] = next;
      this.#waiting.delete(key);
      this.#running += 1;
      void this.options.diagnoses
        .run(alert)
        .rules.catch(() => {
          // AlertDiagnoses logs it; the next scan or the alert's delivery asks again.
        })
        .finally(() => {
          this.#running -= 1;
          this.#pump();
        });
    }
    if (this.#rescan && this.#waiting.size === 0 && this.#scanning === undefined) {
      this.#rescan = false;
      this.#scanning = this.#scan().finally(() => {
        this.#scanning = undefined;
      });
    }
  }

  #takeToken(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(BURST, this.#tokens + ((now - this.#refilledAt) * PER_SECOND) / 1_000);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  async #scan(): Promise<void> {
    let open: AlertRecord[];
    try {
      open = await this.options.alerts.list({ states: ['active', 'acknowledged'], limit: SCAN_LIMIT });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not read the open alerts to diagnose; retrying shortly');
      if (!this.#stopped) this.#timer = setTimeout(() => this.start(), RETRY_MS);
      return;
    }
    // After #scanning is cleared, so a rescan asked for meanwhile can start.
    setImmediate(() => this.offer(open));
  }
}
