// The SLA engine's face: per-check and per-component reports over the SLA windows, daily uptime for the status
// page's bars, and the figures behind `uptime_sla_percent` / `uptime_sla_target_percent`. It reads the store through
// WindowSummaries (rollups for the bulk of a window, raw results at the edges), the bars' days through DailySummaries
// (closed days kept), and applies the pure math of report.ts to the configuration given with setConfig.

import type { SlaSettings, StatusPageSettings } from '../config/types.js';
import type { CheckDefinition } from '../model/check.js';
import type { MaintenanceWindow } from '../model/maintenance.js';
import type { Store } from '../store/store.js';
import { buildReport, checkTarget, componentReport, type SlaReport } from './report.js';
import { DAY_MS } from './rollup.js';
import { combine, measuredMs, uptimePercent, type UptimeSummary } from './uptime.js';
import { DailySummaries } from './daily-summaries.js';
import type { SummaryLookup } from './summary-table.js';
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
  readonly #daily: DailySummaries;
  #config: SlaServiceConfig = {
    checks: [],
    sla: { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99, countDegradedAsUp: true },
    statusPage: { components: [], tiers: {} },
    maintenance: [],
  };
  #checks = new Map<string, CheckDefinition>();
  #basis = '';
  /** Every check's summaries per window at one moment, shared by whoever asks at that moment. */
  #allAt = { now: Number.NaN, byWindow: new Map<SlaWindow, Promise<SummaryLookup>>() };

  constructor(options: SlaServiceOptions) {
    this.#now = options.now ?? Date.now;
    this.#summaries = new WindowSummaries({ store: options.store });
    this.#daily = new DailySummaries(this.#summaries);
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
    this.#daily.configure(config.checks);
    this.#allAt = { now: Number.NaN, byWindow: new Map() };
  }

  /** Per configured check (all, or those of `checkIds`; unknown ids are left out), its summary over the window. */
  async checkSummaries(window: SlaWindow, checkIds?: readonly string[]): Promise<Map<string, UptimeSummary>> {
    const now = this.#now();
    if (checkIds === undefined) return new Map(await this.#everyCheck(window, now));
    const { from, to } = windowRange(window, now);
    return new Map(await this.#summaries.summaries(from, to, now, this.#configured(checkIds)));
  }

  /** Every configured check's summary over the window ending at `now`: computed once per moment, for all who ask. */
  #everyCheck(window: SlaWindow, now: number): Promise<SummaryLookup> {
    if (this.#allAt.now !== now) this.#allAt = { now, byWindow: new Map() };
    const kept = this.#allAt.byWindow;
    let summaries = kept.get(window);
    if (!summaries) {
      const { from, to } = windowRange(window, now);
      kept.set(window, (summaries = this.#summaries.summaries(from, to, now)));
      summaries.catch(() => {
        if (kept.get(window) === summaries) kept.delete(window);
      });
    }
    return summaries;
  }

  async checkReports(window: SlaWindow, checkIds?: readonly string[]): Promise<Map<string, SlaReport>> {
    const { sla, statusPage } = this.#config;
    const summaries = await this.checkSummaries(window, checkIds);
    return new Map(
      [...summaries].map(([id, summary]) => [id, buildReport(window, summary, checkTarget(id, sla, statusPage), sla)]),
    );
  }

  /** Per status-page component, its checks' summaries combined (checks not configured count as no data). */
  async componentReports(window: SlaWindow, now = this.#now()): Promise<Map<string, SlaReport>> {
    const { sla, statusPage } = this.#config;
    const summaries = await this.#everyCheck(window, now);
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
    const tables = await this.#daily.days(from, today, now);
    const result: DailyUptime[] = [];
    for (let day = from; day <= today; day += DAY_MS) {
      const table = tables.get(day);
      const perCheck = table ? checks.flatMap((check) => table.get(check.id) ?? []) : [];
      result.push(this.#day(day, perCheck));
    }
    return result;
  }

  /** Uptime of every configured check over every window, and its target: the SLA metrics, refreshed often. */
  async metricsFigures(now = this.#now()): Promise<Map<string, SlaFigures>> {
    const { sla, statusPage, checks } = this.#config;
    const figures = new Map<string, SlaFigures>(
      checks.map((check) => [check.id, { percent: {}, targetPercent: checkTarget(check.id, sla, statusPage) }]),
    );
    for (const window of SLA_WINDOW_NAMES) {
      for (const [id, summary] of await this.#everyCheck(window, now)) {
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
  #day(dayStart: number, perCheck: readonly UptimeSummary[]): DailyUptime {
    const countDegradedAsUp = this.#config.sla.countDegradedAsUp;
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
