// The SLA engine's face: per-check and per-component reports over the SLA windows, daily uptime for the status
// page's bars, and the figures behind `uptime_sla_percent` / `uptime_sla_target_percent`. It reads the store through
// WindowSummaries (rollups for the bulk of a window, raw results at the edges) and applies the pure math of
// report.ts to the configuration given with setConfig.

import type { SlaSettings, StatusPageSettings } from '../config/types.js';
import type { CheckDefinition } from '../model/check.js';
import type { MaintenanceWindow } from '../model/maintenance.js';
import type { Store } from '../store/store.js';
import type { Interval } from '../interval.js';
import { buildReport, checkTarget, componentReport, type SlaReport } from './report.js';
import { DAY_MS } from './rollup.js';
import { combine, measuredMs, uptimePercent, type UptimeSummary } from './uptime.js';
import { planWindow } from './window-plan.js';
import { WindowSummaries } from './window-summaries.js';
import { windowRange } from './windows.js';
import { SLA_WINDOW_NAMES, type SlaWindow } from '../model/sla-window.js';

export interface SlaServiceOptions {
  store: Store;
  now?: () => number;
}

export interface SlaServiceConfig {
  checks: readonly CheckDefinition[];
  sla: SlaSettings;
  statusPage: Pick<StatusPageSettings, 'components' | 'tiers'>;
  maintenance: readonly MaintenanceWindow[];
}

/** One UTC day of a set of checks, combined as a component's checks are (time-weighted). */
export interface DailyUptime {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** Absent when nothing was measured that day. */
  uptimePercent?: number;
  /** Averaged per check with data, like a component's downtime in its SLA report. */
  downMinutes: number;
  degradedMinutes: number;
  maintenanceMinutes: number;
}

/** What the metrics show per check: uptime per window (absent without data, rendered NaN) and the target. */
export interface SlaFigures {
  percent: Partial<Record<SlaWindow, number>>;
  targetPercent: number;
}

const MINUTE_MS = 60_000;

export class SlaService {
  readonly #now: () => number;
  readonly #summaries: WindowSummaries;
  #config: SlaServiceConfig = {
    checks: [],
    sla: { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99, countDegradedAsUp: true },
    statusPage: { components: [], tiers: {} },
    maintenance: [],
  };
  #checks = new Map<string, CheckDefinition>();
  #basis = '';

  constructor(options: SlaServiceOptions) {
    this.#now = options.now ?? Date.now;
    this.#summaries = new WindowSummaries({ store: options.store });
  }

  /** The configuration in force; call again on every reload. */
  setConfig(config: SlaServiceConfig): void {
    this.#config = config;
    this.#checks = new Map(config.checks.map((check) => [check.id, check]));
    // What the cached figures depend on: a reload that leaves it alone (new targets, say) keeps them.
    const basis = JSON.stringify([
      config.checks.map((check) => [check.id, check.group, check.component, check.intervalMs, check.timeoutMs]),
      config.maintenance,
    ]);
    if (basis === this.#basis) return;
    this.#basis = basis;
    this.#summaries.configure(config.checks, config.maintenance);
  }

  /** Per configured check (all, or those of `checkIds`; unknown ids are left out), its summary over the window. */
  async checkSummaries(window: SlaWindow, checkIds?: readonly string[]): Promise<Map<string, UptimeSummary>> {
    const now = this.#now();
    const { from, to } = windowRange(window, now);
    const checks = checkIds === undefined ? undefined : this.#configured(checkIds);
    return new Map(await this.#summaries.summaries(from, to, now, checks));
  }

  async checkReports(window: SlaWindow, checkIds?: readonly string[]): Promise<Map<string, SlaReport>> {
    const { sla, statusPage } = this.#config;
    const summaries = await this.checkSummaries(window, checkIds);
    return new Map(
      [...summaries].map(([id, summary]) => [id, buildReport(window, summary, checkTarget(id, sla, statusPage), sla)]),
    );
  }

  /** Per status-page component, its checks' summaries combined (checks not configured count as no data). */
  async componentReports(window: SlaWindow): Promise<Map<string, SlaReport>> {
    const { sla, statusPage } = this.#config;
    const summaries = await this.checkSummaries(window);
    return new Map(
      statusPage.components.map((component) => {
        const parts = component.checks.flatMap((id) => summaries.get(id) ?? []);
        return [component.id, componentReport(window, parts, component, sla, statusPage.tiers)];
      }),
    );
  }

  /** The last `days` UTC days up to and including today (partial), oldest first, every day present. */
  async dailyUptime(checkIds: readonly string[], days: number, now = this.#now()): Promise<DailyUptime[]> {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const from = today - (Math.max(1, Math.floor(days)) - 1) * DAY_MS;
    const checks = this.#configured(checkIds);
    // Day → check → the summaries of the pieces of that day (a daily rollup, hourly ones, raw edges).
    const parts = new Map<number, Map<string, UptimeSummary[]>>();
    const add = (at: number, checkId: string, summary: UptimeSummary): void => {
      const day = Math.floor(at / DAY_MS) * DAY_MS;
      let ofDay = parts.get(day);
      if (!ofDay) parts.set(day, (ofDay = new Map<string, UptimeSummary[]>()));
      ofDay.set(checkId, [...(ofDay.get(checkId) ?? []), summary]);
    };
    const plan = planWindow(from, now, await this.#summaries.rolledUpTo());
    for (const resolution of ['day', 'hour'] as const) {
      for (const range of plan[resolution]) {
        await this.#summaries.forEachRollup(resolution, range, checks, (rollup) => {
          add(rollup.bucketStart, rollup.checkId, rollup);
        });
      }
    }
    for (const piece of plan.raw.flatMap(splitAtDays)) {
      for (const [id, summary] of await this.#summaries.rawSummaries(piece, checks, now)) add(piece.start, id, summary);
    }
    const result: DailyUptime[] = [];
    for (let day = from; day <= today; day += DAY_MS) result.push(this.#day(day, parts.get(day) ?? new Map()));
    return result;
  }

  /** Uptime of every configured check over every window, and its target: the SLA metrics, refreshed often. */
  async metricsFigures(): Promise<Map<string, SlaFigures>> {
    const { sla, statusPage, checks } = this.#config;
    const now = this.#now();
    const figures = new Map<string, SlaFigures>(
      checks.map((check) => [check.id, { percent: {}, targetPercent: checkTarget(check.id, sla, statusPage) }]),
    );
    for (const window of SLA_WINDOW_NAMES) {
      const { from, to } = windowRange(window, now);
      for (const [id, summary] of await this.#summaries.summaries(from, to, now)) {
        const percent = uptimePercent(summary, sla.countDegradedAsUp);
        if (percent !== undefined) figures.get(id)!.percent[window] = percent;
      }
    }
    return figures;
  }

  #configured(checkIds: readonly string[]): CheckDefinition[] {
    return [...new Set(checkIds)].flatMap((id) => this.#checks.get(id) ?? []);
  }

  /** One day of several checks: time-weighted together; minutes averaged over the checks with data. */
  #day(dayStart: number, parts: ReadonlyMap<string, UptimeSummary[]>): DailyUptime {
    const countDegradedAsUp = this.#config.sla.countDegradedAsUp;
    const perCheck = [...parts.values()].map((pieces) => combine(pieces));
    const total = combine(perCheck);
    const checksWithData = Math.max(1, perCheck.filter((summary) => measuredMs(summary) > 0).length);
    const day: DailyUptime = {
      day: new Date(dayStart).toISOString().slice(0, 10),
      downMinutes: total.downMs / MINUTE_MS / checksWithData,
      degradedMinutes: total.degradedMs / MINUTE_MS / checksWithData,
      maintenanceMinutes: total.maintenanceMs / MINUTE_MS / checksWithData,
    };
    const percent = uptimePercent(total, countDegradedAsUp);
    if (percent !== undefined) day.uptimePercent = percent;
    return day;
  }
}

/** A raw range cut at UTC midnights, so each piece belongs to one day. */
function splitAtDays(range: Interval): Interval[] {
  const pieces: Interval[] = [];
  for (let start = range.start; start < range.end;) {
    const end = Math.min(range.end, (Math.floor(start / DAY_MS) + 1) * DAY_MS);
    pieces.push({ start, end });
    start = end;
  }
  return pieces;
}
