// Batches probe results in memory and writes them with one insertResults (one transaction) per batch: every
// flushIntervalMs, or as soon as maxBatch results wait. While the store fails, results stay buffered and are
// retried at each interval; the buffer is bounded and drops its oldest results when full, counted and logged.

import type { Logger } from 'pino';
import { ResultFifo } from './result-fifo.js';
import type { Store, StoredResult } from './store.js';

export interface ResultWriterOptions {
  store: Pick<Store, 'insertResults'>;
  logger: Logger;
  /** Flush at least this often (default 1000 ms). */
  flushIntervalMs?: number;
  /** Results per insertResults call at most; reaching it triggers a flush (default 1000). */
  maxBatch?: number;
  /** Results held at most while the store fails; beyond it the oldest are dropped (default 100,000). */
  maxBuffered?: number;
}

export interface ResultWriterCounters {
  /** Results the store accepted. */
  written: number;
  /** insertResults calls that failed (each is retried). */
  failedFlushes: number;
  /** Results discarded because the buffer was full. */
  dropped: number;
  /** Results not yet written, including a batch on its way to the store. */
  buffered: number;
}

export class ResultWriter {
  readonly #store: Pick<Store, 'insertResults'>;
  readonly #logger: Logger;
  readonly #maxBatch: number;
  readonly #maxBuffered: number;
  readonly #buffer = new ResultFifo<StoredResult>();
  readonly #timer: NodeJS.Timeout;
  /** The last flush queued; flushes run one after another so batches reach the store in order. */
  #tail: Promise<void> = Promise.resolve();
  #flushQueued = false;
  /** Set by a failed write: size-triggered flushes wait for the next interval instead of hammering the store. */
  #failing = false;
  #closed = false;
  #inFlight = 0;
  #written = 0;
  #failedFlushes = 0;
  #dropped = 0;
  #droppedUnreported = 0;

  constructor(options: ResultWriterOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#maxBatch = positiveInteger('maxBatch', options.maxBatch ?? 1_000);
    this.#maxBuffered = positiveInteger('maxBuffered', options.maxBuffered ?? 100_000);
    const flushIntervalMs = positiveInteger('flushIntervalMs', options.flushIntervalMs ?? 1_000);
    this.#timer = setInterval(() => this.#onInterval(), flushIntervalMs);
    // Pending results alone must not keep the process alive: shutdown calls close(), which flushes them.
    this.#timer.unref();
  }

  get counters(): ResultWriterCounters {
    return {
      written: this.#written,
      failedFlushes: this.#failedFlushes,
      dropped: this.#dropped,
      buffered: this.#buffer.length + this.#inFlight,
    };
  }

  add(result: StoredResult): void {
    if (this.#closed) throw new Error('ResultWriter.add after close: results must stop before the writer closes');
    this.#buffer.push(result);
    this.#enforceBound();
    if (this.#buffer.length >= this.#maxBatch && !this.#failing) this.#flushInBackground();
  }

  /** Writes everything buffered; rejects with the store's error when a batch fails (it stays buffered). */
  flush(): Promise<void> {
    const run = this.#tail.then(() => this.#drain());
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes what is left; rejects, saying how many results were lost, if the store fails. */
  async close(): Promise<void> {
    if (this.#closed) return this.#tail;
    this.#closed = true;
    clearInterval(this.#timer);
    try {
      await this.flush();
    } catch (error) {
      const lost = this.#buffer.length;
      throw new Error(`${lost} results could not be written before closing: ${String(error)}`, { cause: error });
    } finally {
      this.#reportDrops();
    }
  }

  #onInterval(): void {
    this.#reportDrops();
    if (this.#buffer.length > 0) this.#flushInBackground();
  }

  /** Failures are logged and counted by #drain; the results stay buffered for the next attempt. */
  #flushInBackground(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    this.flush()
      .catch(() => undefined)
      .finally(() => {
        this.#flushQueued = false;
      });
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.take(this.#maxBatch);
      this.#inFlight = batch.length;
      try {
        await this.#store.insertResults(batch);
      } catch (error) {
        this.#buffer.putBack(batch);
        this.#enforceBound();
        this.#failedFlushes += 1;
        this.#failing = true;
        this.#logger.error(
          { err: error, batch: batch.length, buffered: this.#buffer.length },
          'writing results to the store failed; keeping them buffered to retry',
        );
        throw error;
      } finally {
        this.#inFlight = 0;
      }
      this.#written += batch.length;
      if (this.#failing) this.#logger.info({ buffered: this.#buffer.length }, 'writing results to the store recovered');
      this.#failing = false;
    }
  }

  #enforceBound(): void {
    const excess = this.#buffer.length - this.#maxBuffered;
    if (excess <= 0) return;
    const dropped = this.#buffer.dropOldest(excess);
    this.#dropped += dropped;
    this.#droppedUnreported += dropped;
  }

  /** One warning per interval at most: a failing store would otherwise log once per probe. */
  #reportDrops(): void {
    if (this.#droppedUnreported === 0) return;
    this.#logger.warn(
      { dropped: this.#droppedUnreported, droppedTotal: this.#dropped, maxBuffered: this.#maxBuffered },
      'result buffer full: dropped the oldest results',
    );
    this.#droppedUnreported = 0;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
