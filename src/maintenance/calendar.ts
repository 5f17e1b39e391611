// Answers "is this check in maintenance at time t?" cheaply and often (every result, every scrape): each check's
// windows are expanded once for a horizon around now and looked up in an IntervalSet until the horizon passes.

import { IntervalSet } from '../interval.js';
import type { CheckDefinition } from '../model/check.js';
import type { MaintenanceWindow } from '../model/maintenance.js';
import { expandWindows } from './windows.js';

const HORIZON_MS = 6 * 60 * 60 * 1000;

export class MaintenanceCalendar {
  private windows: readonly MaintenanceWindow[] = [];
  private checks = new Map<string, CheckDefinition>();
  private sets = new Map<string, IntervalSet>();
  private from = 0;
  private to = 0;

  constructor(private readonly now: () => number = Date.now) {}

  setConfig(windows: readonly MaintenanceWindow[], checks: readonly CheckDefinition[]): void {
    this.windows = windows;
    this.checks = new Map(checks.map((check) => [check.id, check]));
    this.sets.clear();
  }

  /** The windows in force, for listing scheduled maintenance. */
  configured(): readonly MaintenanceWindow[] {
    return this.windows;
  }

  inMaintenance(checkId: string, at: number): boolean {
    if (this.windows.length === 0) return false;
    const check = this.checks.get(checkId);
    if (!check) return false;
    if (at < this.from || at >= this.to) {
      const now = this.now();
      this.from = Math.min(now, at) - HORIZON_MS;
      this.to = Math.max(now, at) + HORIZON_MS;
      this.sets.clear();
    }
    let set = this.sets.get(checkId);
    if (!set) {
      set = new IntervalSet(expandWindows(this.windows, check, this.from, this.to));
      this.sets.set(checkId, set);
    }
    return set.contains(at);
  }
}
