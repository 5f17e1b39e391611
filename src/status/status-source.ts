// What the status page reads, as plain data: the wiring implements it from the config, the prober's latest results,
// the store, the SLA engine and the maintenance windows. The page only ever reads through this interface, so it can
// be rendered from any source (and tested from an in-memory one). Times are Unix milliseconds.

import type { StatusPageSettings } from '../config/types.js';
import type { CheckStatus, FailureReason } from '../model/result.js';
import type { SlaReport } from '../sla/report.js';
import type { SlaWindow } from '../model/sla-window.js';
import type { DailyUptime } from '../sla/sla-service.js';
import type { Incident, StoredResult } from '../store/store.js';

/** The check's state right now, as the prober judged its latest result. */
export interface CurrentCheckState {
  /** `unknown` when the check has not run yet or is disabled. */
  status: CheckStatus;
  reason?: FailureReason;
  message: string;
  /** When the latest result finished; absent before the first one. */
  at?: number;
  /** A maintenance window covers the check now. */
  inMaintenance: boolean;
}

/** A component's SLA over one window: the fields of the SLA engine's component report the page shows. */
export type ComponentUptime = Pick<SlaReport, 'uptimePercent' | 'targetPercent' | 'status'>;

/** One UTC day of a set of checks, as the SLA engine reports it. */
export type { DailyUptime };

export type StatusIncident = Pick<
  Incident,
  'id' | 'checkId' | 'openedAt' | 'closedAt' | 'firstReason' | 'firstMessage' | 'lastMessage' | 'failures'
>;

/** One stored result of a check, as its detail page shows it. */
export type StatusResult = Pick<
  StoredResult,
  'status' | 'reason' | 'message' | 'startedAt' | 'durationMs' | 'inMaintenance'
>;

export interface IncidentQuery {
  /** Incidents open at any time after this (every open one, however old, and those closed since). */
  since: number;
  /** Only incidents of these checks: the page must not receive what the viewer may not see. */
  checkIds: readonly string[];
  /** At most this many, the newest first. */
  limit: number;
}

/** One occurrence of a maintenance window. */
export interface MaintenanceOccurrence {
  /** The window's id from config.yml. */
  id: string;
  description?: string;
  start: number;
  /** Exclusive. */
  end: number;
  /** The checks it covers, expanded (a window scoped to everything lists every check). */
  checkIds: string[];
}

export interface StatusSource {
  /** status-page.yml, normalised. */
  settings(): StatusPageSettings;
  /** Every configured check, for display names. */
  checks(): readonly { id: string; name: string }[];
  current(checkId: string): CurrentCheckState;
  /** Every component's SLA over the window, by component id (SlaService.componentReports fits as it is). */
  componentUptime(window: SlaWindow): Promise<ReadonlyMap<string, ComponentUptime>>;
  /** The last `days` UTC days up to and including today (partial), in any order; days with no rollup may be absent. */
  dailyUptime(checkIds: readonly string[], days: number): Promise<DailyUptime[]>;
  incidents(query: IncidentQuery): Promise<StatusIncident[]>;
  /** When the earliest stored result of any of the checks started: how much history a figure rests on. */
  firstResultAt(checkIds: readonly string[]): Promise<number | undefined>;
  /** One check's results since `since`, oldest first, at most `limit` (the newest ones). */
  results(checkId: string, since: number, limit: number): Promise<StatusResult[]>;
  /** Occurrences overlapping [from, to). */
  maintenance(from: number, to: number): MaintenanceOccurrence[];
  now(): number;
  /**
   * A key that changes whenever anything the status page shows may have changed (an incident, a reload, the figures'
   * snapshot; and a result, unless the source counts those in resultBatches), so a rendered page can be reused until
   * it does. Absent: every request renders afresh.
   */
  revision?(): string;
  /**
   * How many batches of results the source has taken in. A public render is reused for a few seconds after this
   * moves on (RenderedPages), so a page asked for many times a second is not rendered again for every result.
   */
  resultBatches?(): number;
}
