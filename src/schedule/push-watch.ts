// When push checks are missed. A push check is not probed: its job pings the prober. Each push check has one timer,
// armed for its deadline (last heard + interval + grace); when it fires, the check gets a `down` result with reason
// `missed`, and another every interval after that while no ping comes, so the SLA counts the silence as down time
// rather than as a gap. A ping (heard) moves the deadline and the next ping's result recovers the check.
//
// After a restart the watch is given each check's stored last-heard time and latest result, so deadlines and the
// count of misses resume where they were. A deadline that passed while the prober was not running is moved to one
// interval after the start: the job could not reach a prober that was down, so that silence is not the job's.

import type { PushCheck } from '../model/check.js';
import type { CheckResult } from '../model/result.js';

export interface PushWatchOptions {
  /** Receives each `missed` result, in time order per check. */
  onMissed: (result: CheckResult) => void;
  /** Wall clock in Unix ms; injectable for tests (with fake timers). */
  now?: () => number;
}

/** What a restart hands over per check: when it was last heard, and its last stored result. */
export interface PushMemory {
  lastHeardAt?: number;
  latest?: Pick<CheckResult, 'startedAt' | 'reason' | 'consecutiveFailures'>;
}

interface Watched {
  check: PushCheck;
  lastHeardAt?: number;
  /** When the next `missed` result is due. */
  deadline: number;
  /** Missed results since the check was last heard. */
  misses: number;
  timer?: NodeJS.Timeout;
}

/** setTimeout's longest delay; a longer wait is re-armed when it ends. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class PushWatch {
  private readonly watched = new Map<string, Watched>();
  private readonly now: () => number;
  private readonly startedAt: number;
  private stopped = false;

  constructor(private readonly options: PushWatchOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /**
   * Replaces the set of push checks. A check that stays keeps when it was last heard; `memory` (the store's, after a
   * restart) is read for checks not watched yet.
   */
  setChecks(checks: readonly PushCheck[], memory: (checkId: string) => PushMemory = () => ({})): void {
    const wanted = new Map(checks.filter((check) => check.enabled).map((check) => [check.id, check]));
    for (const [id, entry] of this.watched) {
      if (wanted.has(id)) continue;
      clearTimeout(entry.timer);
      this.watched.delete(id);
    }
    for (const check of wanted.values()) {
      const previous = this.watched.get(check.id);
      clearTimeout(previous?.timer);
      const entry = previous ? this.reloaded(previous, check) : this.restored(check, memory(check.id));
      this.watched.set(check.id, entry);
      this.arm(entry);
    }
  }

  /** The check's job was heard from at `at` (a ping, or a result pushed for it). Unknown checks are ignored. */
  heard(checkId: string, at: number): void {
    const entry = this.watched.get(checkId);
    if (!entry || (entry.lastHeardAt !== undefined && at <= entry.lastHeardAt)) return;
    entry.lastHeardAt = at;
    entry.misses = 0;
    entry.deadline = at + entry.check.intervalMs + entry.check.graceMs;
    this.arm(entry);
  }

  lastHeardAt(checkId: string): number | undefined {
    return this.watched.get(checkId)?.lastHeardAt;
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.watched.values()) clearTimeout(entry.timer);
  }

  private restored(check: PushCheck, memory: PushMemory): Watched {
    const { lastHeardAt, latest } = memory;
    // A `missed` result newer than the last ping: the check was already missed, count on from it.
    const missedSince =
      latest?.reason === 'missed' && latest.startedAt > (lastHeardAt ?? -Infinity) ? latest : undefined;
    const misses = missedSince?.consecutiveFailures ?? 0;
    const due = missedSince ? missedSince.startedAt + check.intervalMs : undefined;
    const entry: Watched = { check, misses, deadline: this.firstDeadline(check, lastHeardAt, misses, due) };
    if (lastHeardAt !== undefined) entry.lastHeardAt = lastHeardAt;
    return entry;
  }

  /** A reload may change the interval or grace: the deadline follows, unless the check is already being missed. */
  private reloaded(previous: Watched, check: PushCheck): Watched {
    const heardOrStarted = previous.lastHeardAt ?? this.startedAt;
    const deadline = previous.misses > 0 ? previous.deadline : heardOrStarted + check.intervalMs + check.graceMs;
    return { ...previous, check, deadline };
  }

  private firstDeadline(check: PushCheck, lastHeardAt: number | undefined, misses: number, due?: number): number {
    const fromStart = this.startedAt + check.intervalMs + check.graceMs;
    const planned = due ?? (lastHeardAt ?? this.startedAt) + check.intervalMs + check.graceMs;
    if (planned >= this.startedAt) return planned;
    // Due while the prober was down: one interval (plus grace, before the first miss) from the start.
    return misses > 0 ? this.startedAt + check.intervalMs : fromStart;
  }

  private arm(entry: Watched): void {
    clearTimeout(entry.timer);
    if (this.stopped) return;
    const delay = Math.min(Math.max(entry.deadline - this.now(), 0), MAX_TIMER_MS);
    entry.timer = setTimeout(() => this.fire(entry), delay);
    // The watch alone must not keep the process alive: the servers do.
    entry.timer.unref();
  }

  private fire(entry: Watched): void {
    if (this.stopped || this.watched.get(entry.check.id) !== entry) return;
    const now = this.now();
    if (now < entry.deadline) {
      this.arm(entry);
      return;
    }
    entry.misses++;
    this.options.onMissed(missedResult(entry, now));
    entry.deadline += entry.check.intervalMs;
    // A stalled event loop (or a suspended machine) skips the slots already past rather than bursting.
    if (entry.deadline <= now) entry.deadline = now + entry.check.intervalMs;
    this.arm(entry);
  }
}

function missedResult(entry: Watched, now: number): CheckResult {
  const { check, lastHeardAt, deadline } = entry;
  const since = lastHeardAt === undefined ? 'no ping yet' : `no ping for ${seconds(now - lastHeardAt)}`;
  return {
    checkId: check.id,
    status: 'down',
    reason: 'missed',
    message: `${since} (expected every ${seconds(check.intervalMs)}, grace ${seconds(check.graceMs)})`,
    startedAt: deadline,
    finishedAt: Math.max(deadline, now),
    durationMs: 0,
    phases: {},
    consecutiveFailures: entry.misses,
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}
