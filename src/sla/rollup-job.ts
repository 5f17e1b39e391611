// Writes the hourly and daily rollups the long SLA windows are read from. Each run rolls up every complete UTC hour
// since the last one (the first run starts at the day of the earliest stored result, at most 400 days back), one
// rollup per configured check per hour, empty hours included, so a missing row only ever means "not rolled up yet";
// then every complete day from its hours. Work is cut into chunks of bounded size, saved one transaction per chunk,
// with the event loop free in between, so a long catch-up neither holds the loop nor loses progress on a crash.
//
// An hour counts as complete `settleMs` after it ends: probes started just before the hour may still be running or
// waiting in the result writer's batch. Maintenance is applied as configured when the hour is rolled up.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CheckDefinition } from '../model/check.js';
import type { MaintenanceWindow } from '../model/maintenance.js';
import { floorTo } from '../floor-to.js';
import { PeriodicJob } from '../store/periodic-job.js';
import type { Rollup, Store } from '../store/store.js';
import { maintenanceByCheck, resultCapMs } from './check-maintenance.js';
import type { Interval } from '../interval.js';
import { resultSlices, type ResultSlice } from './result-slices.js';
import { DAY_MS, HOUR_MS, rollUpDays, summarizeBuckets } from './rollup.js';

export interface RollupJobOptions {
  store: Store;
  checks: () => readonly CheckDefinition[];
  maintenance: () => readonly MaintenanceWindow[];
  logger: Logger;
  now?: () => number;
  /** How long after its end an hour is rolled up; default 2 minutes. */
  settleMs?: number;
  /** Rows aimed at per store call; default 50,000. */
  budget?: number;
}

export interface RollupRun {
  /** Hours rolled up (for all checks). */
  hours: number;
  /** Days rolled up. */
  days: number;
  /** Rows written. */
  rollups: number;
}

const FIRST_RUN_LOOKBACK_MS = 400 * DAY_MS;
const DEFAULT_EVERY_MS = 5 * 60_000;
const MAX_DAYS_PER_CHUNK = 7;

export class RollupJob {
  readonly #options: RollupJobOptions;
  readonly #store: Store;
  readonly #now: () => number;
  readonly #settleMs: number;
  readonly #budget: number;
  readonly #job: PeriodicJob;
  #inFlight: Promise<RollupRun> | undefined;
  #stopping = false;

  constructor(options: RollupJobOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#settleMs = options.settleMs ?? 120_000;
    this.#budget = options.budget ?? 50_000;
    this.#job = new PeriodicJob(
      () => this.runOnce(),
      (error) => options.logger.error({ err: error }, 'rollups: run failed; retrying at the next run'),
    );
  }

  /** Rolls up what is due; a call while a run is in progress joins that run. */
  runOnce(): Promise<RollupRun> {
    this.#inFlight ??= this.#run().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  start(everyMs = DEFAULT_EVERY_MS): void {
    this.#job.start(everyMs);
  }

  /** Stops after the chunk in progress (what is saved stays saved; the next start carries on from there). */
  async stop(): Promise<void> {
    this.#stopping = true;
    try {
      await this.#job.stop();
      await this.#inFlight?.catch(() => undefined); // its failure was logged by the periodic job
    } finally {
      this.#stopping = false;
    }
  }

  async #run(): Promise<RollupRun> {
    const started = Date.now();
    const checks = this.#options.checks();
    const hourEnd = floorTo(this.#now() - this.#settleMs, HOUR_MS);
    const run: RollupRun = { hours: 0, days: 0, rollups: 0 };
    const rolledHour = await this.#store.rolledUpTo('hour');
    const rolledDay = await this.#store.rolledUpTo('day');
    const firstDay =
      rolledHour === undefined || rolledDay === undefined ? await this.#firstDay(checks, hourEnd) : undefined;

    const hourFrom = rolledHour ?? firstDay;
    if (hourFrom !== undefined && checks.length > 0) {
      const lookBack = floorTo(hourEnd, DAY_MS) - FIRST_RUN_LOOKBACK_MS;
      await this.#rollUpHours(Math.max(hourFrom, lookBack), hourEnd, checks, run);
    }
    const dayFrom = rolledDay ?? firstDay;
    const hoursDone = await this.#store.rolledUpTo('hour');
    if (dayFrom !== undefined && hoursDone !== undefined) {
      await this.#rollUpDays(dayFrom, floorTo(hoursDone, DAY_MS), Math.max(1, checks.length), run);
    }
    if (run.rollups > 0) {
      this.#options.logger.info({ ...run, durationMs: Date.now() - started }, 'rollups: written');
    }
    return run;
  }

  async #rollUpHours(from: number, to: number, checks: readonly CheckDefinition[], run: RollupRun): Promise<void> {
    const byId = new Map(checks.map((check) => [check.id, check]));
    const windows = this.#options.maintenance();
    let chunk: { from: number; to: number; rollups: Rollup[]; maintenance: Map<string, Interval[]> } | undefined;
    const save = async (): Promise<void> => {
      if (!chunk) return;
      await this.#store.saveRollups(chunk.rollups);
      run.hours += (chunk.to - chunk.from) / HOUR_MS;
      run.rollups += chunk.rollups.length;
    };
    for await (const slice of resultSlices(this.#store, from, to, checks, { budget: this.#budget })) {
      if (chunk?.from !== slice.from) {
        await save();
        if (this.#stopping) return;
        const maintenance = maintenanceByCheck(windows, checks, slice.from, slice.to);
        chunk = { from: slice.from, to: slice.to, rollups: [], maintenance };
      }
      chunk.rollups.push(...hourRollups(slice, byId, chunk.maintenance));
    }
    await save();
  }

  async #rollUpDays(from: number, to: number, checkCount: number, run: RollupRun): Promise<void> {
    const daysPerChunk = Math.min(MAX_DAYS_PER_CHUNK, Math.max(1, Math.floor(this.#budget / (24 * checkCount))));
    for (let chunkFrom = from; chunkFrom < to && !this.#stopping; chunkFrom += daysPerChunk * DAY_MS) {
      const chunkTo = Math.min(to, chunkFrom + daysPerChunk * DAY_MS);
      const hourly = await this.#store.listRollups({ resolution: 'hour', from: chunkFrom, to: chunkTo });
      const daily = rollUpDays(hourly);
      await this.#store.saveRollups(daily);
      run.days += new Set(daily.map((rollup) => rollup.bucketStart)).size;
      run.rollups += daily.length;
      await yieldToEventLoop();
    }
  }

  /** The UTC day of the earliest result of a configured check, within the look-back; undefined when there is none. */
  async #firstDay(checks: readonly CheckDefinition[], hourEnd: number): Promise<number | undefined> {
    if (checks.length === 0) return undefined;
    const first = await this.#store.firstResultAt(checks.map((check) => check.id));
    if (first === undefined || first >= hourEnd) return undefined;
    return floorTo(Math.max(first, floorTo(hourEnd, DAY_MS) - FIRST_RUN_LOOKBACK_MS), DAY_MS);
  }
}

function hourRollups(
  slice: ResultSlice,
  checks: ReadonlyMap<string, CheckDefinition>,
  maintenance: ReadonlyMap<string, Interval[]>,
): Rollup[] {
  return slice.checkIds.flatMap((id) =>
    summarizeBuckets({
      checkId: id,
      results: slice.results.get(id) ?? [],
      before: slice.before.get(id),
      from: slice.from,
      to: slice.to,
      resolution: 'hour',
      capMs: resultCapMs(checks.get(id)!),
      maintenance: maintenance.get(id) ?? [],
    }),
  );
}
