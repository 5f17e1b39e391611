// Decides when each check runs: every check on its own interval, first runs spread over the interval by a hash of
// the id, never two runs of one check at once, at most `maxConcurrency` probes in flight. One timer for all checks,
// armed for the earliest due time; no per-check timers, so 10,000 checks cost one heap and one timer.

import { setMaxListeners } from 'node:events';
import type { ProbedCheck } from '../model/check.js';
import { FRESH_MEMORY, judge, type CheckMemory } from '../probe/judge.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { CheckResult } from '../model/result.js';
import { DueHeap } from './due-heap.js';

export type RunProbe = (check: ProbedCheck, shutdown: AbortSignal) => Promise<ProbeOutcome>;

export interface SchedulerOptions {
  maxConcurrency: number;
  run: RunProbe;
  onResult: (result: CheckResult) => void;
  /** Called when a probe starts, with how late it started against its plan (ms). */
  onStart?: (checkId: string, lagMs: number) => void;
  /** Wall clock in Unix ms; injectable for tests. */
  now?: () => number;
}

export interface SchedulerStats {
  checks: number;
  inFlight: number;
  queued: number;
  started: number;
  /** Runs not started because the previous run of the same check was still going or waiting. */
  skipped: number;
  /** How late probes started against their plan (queueing for a concurrency slot included). */
  lag: LagHistogram;
}

/** Start lag since the scheduler was created: `counts[i]` probes started at most `LAG_BOUNDS_MS[i]` late (not cumulative). */
export interface LagHistogram {
  counts: number[];
  sumMs: number;
  maxMs: number;
}

/** Upper bounds of the lag buckets, ms; the last one catches everything later. */
export const LAG_BOUNDS_MS = [
  1,
  2,
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1_000,
  2_500,
  5_000,
  10_000,
  30_000,
  Infinity,
] as const;

interface Entry {
  check: ProbedCheck;
  dueAt: number;
  plannedAt: number;
  running: boolean;
  queued: boolean;
  removed: boolean;
  memory: CheckMemory;
}

/** The longest the timer sleeps, so a clock jump is noticed within a second. */
const MAX_SLEEP_MS = 1_000;

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly heap = new DueHeap<Entry>();
  private readonly waiting: Entry[] = [];
  private waitingHead = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private started = 0;
  private skipped = 0;
  private readonly lag: LagHistogram = { counts: LAG_BOUNDS_MS.map(() => 0), sumMs: 0, maxMs: 0 };
  private maxConcurrency: number;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.maxConcurrency = options.maxConcurrency;
    // Every probe in flight listens for shutdown; that is up to maxConcurrency listeners, not a leak.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Replaces the set of checks. A check that keeps its id keeps its failure count and, if its interval is unchanged, its phase. */
  setChecks(checks: readonly ProbedCheck[], maxConcurrency = this.maxConcurrency): void {
    this.maxConcurrency = maxConcurrency;
    const now = this.now();
    const wanted = new Map(checks.filter((check) => check.enabled).map((check) => [check.id, check]));
    for (const [id, entry] of this.entries) {
      if (!wanted.has(id)) {
        entry.removed = true;
        this.entries.delete(id);
      }
    }
    for (const check of wanted.values()) {
      const previous = this.entries.get(check.id);
      if (previous && JSON.stringify(previous.check) === JSON.stringify(check)) continue;
      if (previous) previous.removed = true;
      const keepPhase = previous !== undefined && previous.check.intervalMs === check.intervalMs;
      const dueAt = keepPhase ? previous.dueAt : now + spreadOffset(check.id, check.intervalMs);
      const entry: Entry = {
        check,
        dueAt,
        plannedAt: dueAt,
        // A run of the old definition still in flight keeps the new one from overlapping it.
        running: previous?.running ?? false,
        queued: false,
        removed: false,
        memory: previous?.memory ?? { ...FRESH_MEMORY },
      };
      if (previous?.running) this.pendingRelease.set(previous, entry);
      this.entries.set(check.id, entry);
      this.heap.push(entry);
    }
    if (this.running) this.arm();
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  /** Stops scheduling, aborts the probes in flight and waits for them; their results are dropped. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.shutdown.abort(new Error('prober stopping'));
    await Promise.allSettled([...this.inFlight]);
  }

  stats(): SchedulerStats {
    return {
      checks: this.entries.size,
      inFlight: this.inFlight.size,
      queued: this.waiting.length - this.waitingHead,
      started: this.started,
      skipped: this.skipped,
      lag: { ...this.lag, counts: [...this.lag.counts] },
    };
  }

  /** Old entries whose run is still in flight, and the entry that replaced them (to clear its running flag). */
  private readonly pendingRelease = new Map<Entry, Entry>();

  private arm(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    const next = this.heap.peek();
    if (!next) return;
    const delay = Math.min(Math.max(next.dueAt - this.now(), 0), MAX_SLEEP_MS);
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    const now = this.now();
    for (let top = this.heap.peek(); top && top.dueAt <= now; top = this.heap.peek()) {
      const entry = this.heap.pop()!;
      if (entry.removed) continue;
      if (entry.running || entry.queued) {
        this.skipped++;
      } else {
        entry.queued = true;
        entry.plannedAt = entry.dueAt;
        this.waiting.push(entry);
      }
      entry.dueAt = nextDueAt(entry.dueAt, entry.check.intervalMs, now);
      this.heap.push(entry);
    }
    this.startWaiting();
    this.arm();
  }

  private startWaiting(): void {
    while (this.running && this.inFlight.size < this.maxConcurrency && this.waitingHead < this.waiting.length) {
      const entry = this.waiting[this.waitingHead++]!;
      entry.queued = false;
      if (entry.removed) continue;
      this.launch(entry);
    }
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
  }

  private recordLag(lagMs: number): void {
    let bucket = 0;
    while (lagMs > LAG_BOUNDS_MS[bucket]!) bucket++;
    this.lag.counts[bucket]!++;
    this.lag.sumMs += lagMs;
    this.lag.maxMs = Math.max(this.lag.maxMs, lagMs);
  }

  private launch(entry: Entry): void {
    entry.running = true;
    this.started++;
    const startedAt = this.now();
    const lagMs = startedAt - entry.plannedAt;
    this.recordLag(lagMs);
    this.options.onStart?.(entry.check.id, lagMs);
    const run = this.options
      .run(entry.check, this.shutdown.signal)
      .then((outcome) => {
        if (!this.running || entry.removed) return;
        const result = judge(entry.check, outcome, entry.memory, startedAt, this.now());
        entry.memory = { status: result.status, consecutiveFailures: result.consecutiveFailures };
        this.options.onResult(result);
      })
      .finally(() => {
        entry.running = false;
        const replacement = this.pendingRelease.get(entry);
        if (replacement) {
          this.pendingRelease.delete(entry);
          replacement.running = false;
        }
        this.inFlight.delete(run);
        this.startWaiting();
      });
    this.inFlight.add(run);
  }
}

/** The next planned start after `plannedAt`, skipping slots already in the past so a stall does not cause a burst. */
export function nextDueAt(plannedAt: number, intervalMs: number, now: number): number {
  const next = plannedAt + intervalMs;
  if (next > now) return next;
  return next + Math.ceil((now - next + 1) / intervalMs) * intervalMs;
}

/** A stable offset in [0, interval) from the check id (FNV-1a), so first runs spread out and keep their phase across restarts. */
export function spreadOffset(id: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % intervalMs;
}
