// Runs an async task now and then every `everyMs` after the previous run ended, so runs never overlap however long
// one takes. The timer is unref'd: a pending run alone does not keep the process alive. Used by the store's
// background work (rollups, retention).

export class PeriodicJob {
  readonly #run: () => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #started = false;

  /** `onError` receives a run's failure; the next run is still scheduled. */
  constructor(run: () => Promise<unknown>, onError: (error: unknown) => void) {
    this.#run = run;
    this.#onError = onError;
  }

  start(everyMs: number): void {
    if (this.#started) return;
    if (!(everyMs > 0)) throw new RangeError(`everyMs must be positive, got ${everyMs}`);
    this.#started = true;
    this.#schedule(0, everyMs);
  }

  /** Stops scheduling and waits for a run in progress to end. */
  async stop(): Promise<void> {
    this.#started = false;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number, everyMs: number): void {
    this.#timer = setTimeout(() => {
      this.#running = this.#run()
        .then(() => undefined, this.#onError)
        .finally(() => {
          this.#running = undefined;
          if (this.#started) this.#schedule(everyMs, everyMs);
        });
    }, delayMs);
    this.#timer.unref();
  }
}
