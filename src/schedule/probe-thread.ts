// The main thread's handle on the probe thread: sends it the checks, receives judged results in batches, restarts
// it if it ever dies, and stops it cleanly.

import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ProbedCheck } from '../model/check.js';
import type { CheckResult } from '../model/result.js';
import type { HostMessage, WorkerMessage } from './probe-messages.js';
import type { SchedulerStats } from './scheduler.js';

export interface ProbeThreadOptions {
  onResults: (results: CheckResult[]) => void;
  logger: Logger;
}

const RESTART_DELAY_MS = 1_000;
/**
 * The probe thread's garbage is almost all short-lived (sockets, parsers, answers of a few hundred bytes), so a small
 * young generation costs it little and keeps about 15 MB off the process's RSS (V8's default is 3 x 16 MB).
 */
const YOUNG_GENERATION_MB = 8;

export class ProbeThread {
  private worker: Worker | undefined;
  private lastChecks: HostMessage | undefined;
  private stopping = false;
  private statsWaiters: Array<(stats: SchedulerStats) => void> = [];
  /** The scheduler's figures as of the last batch of results (undefined before the first). */
  latestStats: SchedulerStats | undefined;

  constructor(private readonly options: ProbeThreadOptions) {}

  /** Starts the thread (once) and gives it the checks to run. */
  setChecks(checks: ProbedCheck[], maxConcurrency: number): void {
    this.lastChecks = { kind: 'checks', checks, maxConcurrency };
    if (!this.worker) this.spawn();
    this.send(this.lastChecks);
  }

  stats(): Promise<SchedulerStats> {
    return new Promise((resolve) => {
      this.statsWaiters.push(resolve);
      this.send({ kind: 'stats' });
    });
  }

  /** Aborts probes in flight, waits for the thread to finish them, then ends it. */
  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'stopped') {
          clearTimeout(timer);
          resolve();
        }
      });
      this.send({ kind: 'stop' });
    });
    await worker.terminate();
    this.worker = undefined;
  }

  private send(message: HostMessage): void {
    this.worker?.postMessage(message);
  }

  private spawn(): void {
    const worker = new Worker(new URL('./probe-worker.js', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker = worker;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'results') {
        this.latestStats = message.stats;
        this.options.onResults(message.results);
      }
      if (message.kind === 'stats') this.statsWaiters.shift()?.(message.stats);
    });
    worker.on('error', (error) => this.options.logger.error({ err: error }, 'probe thread failed'));
    worker.on('exit', (code) => {
      if (this.stopping || this.worker !== worker) return;
      this.options.logger.error({ code }, 'probe thread exited; restarting it');
      this.worker = undefined;
      setTimeout(() => {
        if (this.stopping || !this.lastChecks) return;
        this.spawn();
        this.send(this.lastChecks);
      }, RESTART_DELAY_MS).unref();
    });
  }
}
