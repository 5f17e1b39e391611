// Reads the raw results of many checks over a long range in slices, so no single store call returns more than
// about `budget` rows and the event loop gets a turn between calls (the SQLite driver is synchronous). Slices come
// time chunk by time chunk, each chunk batch by batch of checks, with the result in force when each slice opens.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CheckDefinition } from '../model/check.js';
import type { ResultStatus, Store } from '../store/store.js';
import { HOUR_MS } from './rollup.js';
import type { TimedStatus } from './spans.js';

export interface ResultSlice {
  from: number;
  /** Exclusive. */
  to: number;
  checkIds: readonly string[];
  /** Results of each check in [from, to), oldest first; checks without any are absent. */
  results: ReadonlyMap<string, TimedStatus[]>;
  /** The last result of each check before `from`; checks without one are absent. */
  before: ReadonlyMap<string, TimedStatus>;
}

export interface SliceOptions {
  /** Rows aimed at per store call. */
  budget?: number;
  /** Time chunks are whole multiples of an hour and never longer than this many hours. */
  maxChunkHours?: number;
}

const DEFAULT_BUDGET = 50_000;
const DEFAULT_MAX_CHUNK_HOURS = 24;

type SlicedCheck = Pick<CheckDefinition, 'id' | 'intervalMs'>;

export async function* resultSlices(
  store: Store,
  from: number,
  to: number,
  checks: readonly SlicedCheck[],
  options: SliceOptions = {},
): AsyncGenerator<ResultSlice> {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const batches = checkBatches(checks, budget);
  const busiest = Math.max(1, ...batches.map((batch) => batch.rowsPerHour));
  const maxChunkHours = options.maxChunkHours ?? DEFAULT_MAX_CHUNK_HOURS;
  const chunkHours = Math.min(maxChunkHours, Math.max(1, Math.floor(budget / busiest)));
  const chunkMs = chunkHours * HOUR_MS;
  const inForce = new Map<string, TimedStatus>();
  let first = true;
  for (let chunkFrom = from; chunkFrom < to; chunkFrom += chunkMs) {
    const chunkTo = Math.min(to, chunkFrom + chunkMs);
    for (const batch of batches) {
      if (first) {
        for (const result of await store.lastResultsBefore(from, batch.ids)) inForce.set(result.checkId, timed(result));
      }
      const before = new Map(batch.ids.flatMap((id) => (inForce.has(id) ? [[id, inForce.get(id)!] as const] : [])));
      const results = byCheck(await store.resultsInRange(chunkFrom, chunkTo, batch.ids));
      for (const [id, list] of results) inForce.set(id, list.at(-1)!);
      yield { from: chunkFrom, to: chunkTo, checkIds: batch.ids, results, before };
      await yieldToEventLoop();
    }
    first = false;
  }
}

/** Results grouped by check, each list oldest first (the store returns them ordered by check, then time). */
export function byCheck(results: readonly ResultStatus[]): Map<string, TimedStatus[]> {
  const grouped = new Map<string, TimedStatus[]>();
  let list: TimedStatus[] = [];
  let checkId: string | undefined;
  for (const result of results) {
    if (result.checkId !== checkId) {
      checkId = result.checkId;
      list = grouped.get(checkId) ?? [];
      grouped.set(checkId, list);
    }
    // Kept as read: a ResultStatus is already no more than the SLA math needs (plus its check id).
    list.push(result);
  }
  return grouped;
}

/** Only what the SLA math needs: a stored result carries a message and timings the caches need not hold. */
export function timed(result: TimedStatus): TimedStatus {
  return { startedAt: result.startedAt, status: result.status };
}

interface Batch {
  ids: string[];
  rowsPerHour: number;
}

/** Checks in batches whose expected results per hour stay within the budget (a busy check may fill one alone). */
export function checkBatches(checks: readonly SlicedCheck[], budget: number): Batch[] {
  const batches: Batch[] = [];
  let current: Batch = { ids: [], rowsPerHour: 0 };
  for (const check of checks) {
    const rate = Math.ceil(HOUR_MS / Math.max(1, check.intervalMs));
    if (current.ids.length > 0 && current.rowsPerHour + rate > budget) {
      batches.push(current);
      current = { ids: [], rowsPerHour: 0 };
    }
    current.ids.push(check.id);
    current.rowsPerHour += rate;
  }
  if (current.ids.length > 0) batches.push(current);
  return batches;
}
