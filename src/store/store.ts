// The Store interface: what the prober, the SLA engine, the status page and (later) the receiver keep durably.
// Two implementations share one test suite: SQLite (embedded default) and PostgreSQL (several replicas, one store).
// Times are Unix milliseconds throughout.

import type { CheckResult } from '../model/result.js';
import type { Retention } from '../model/retention.js';
import type { AlertStore } from './alert-store.js';
import type { OutboxStore } from './outbox-store.js';

export interface StoredResult extends CheckResult {
  /** The check was inside a maintenance window when it ran. */
  inMaintenance: boolean;
}

/** A result as the SLA math and the rollups read it in bulk: which check, when, and how it went. */
export type ResultStatus = Pick<StoredResult, 'checkId' | 'startedAt' | 'status'>;

export interface ResultQuery {
  since?: number;
  until?: number;
  /** Newest first when limited; at most this many. */
  limit?: number;
}

export interface Incident {
  id: string;
  checkId: string;
  openedAt: number;
  /** Absent while the incident is open. */
  closedAt?: number;
  /** Reason and message of the result that opened it. */
  firstReason: string;
  firstMessage: string;
  lastMessage: string;
  /** Failed results seen during the incident. */
  failures: number;
  /** Last time a failed result was seen. */
  lastFailureAt: number;
}

export interface IncidentQuery {
  checkId?: string;
  /** Only incidents of these checks. */
  checkIds?: readonly string[];
  /** Incidents open at any time after this. */
  since?: number;
  openOnly?: boolean;
  limit?: number;
}

export type RollupResolution = 'hour' | 'day';

/** Time-weighted summary of one check over one hour or one day (UTC). */
export interface Rollup {
  checkId: string;
  resolution: RollupResolution;
  /** Start of the bucket. */
  bucketStart: number;
  upMs: number;
  degradedMs: number;
  downMs: number;
  /** Time inside maintenance windows: excluded from both up and total. */
  maintenanceMs: number;
  /** Time covered by no result (gaps beyond the cap): excluded too. */
  unknownMs: number;
  checksTotal: number;
  checksSuccess: number;
  checksFailed: number;
}

export interface RollupQuery {
  checkIds?: readonly string[];
  resolution: RollupResolution;
  from: number;
  /** Exclusive. */
  to: number;
}

/** The rollups of one check over a range, added up field by field. */
export type RollupSum = Omit<Rollup, 'resolution' | 'bucketStart'>;

export interface RollupSumQuery extends RollupQuery {
  checkIds: readonly string[];
}

export interface PruneCounts {
  results: number;
  incidents: number;
  rollups: number;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /** The receiver's alerts, on the same database and connection(s). */
  readonly alerts: AlertStore;
  /** The deliveries the receiver owes, written by `alerts.ingest` in its transaction; same database. */
  readonly outbox: OutboxStore;
  /** Appends results; one transaction per call, so callers batch. */
  insertResults(results: readonly StoredResult[]): Promise<void>;
  /** One check's results in [since, until), oldest first (newest `limit` when limited, still returned oldest first). */
  listResults(checkId: string, query?: ResultQuery): Promise<StoredResult[]>;
  /** Every check's results in [from, to), ordered by check then time: the raw input of SLA and rollups. */
  resultsInRange(from: number, to: number, checkIds?: readonly string[]): Promise<ResultStatus[]>;
  /** When the earliest stored result of any of the checks started; undefined when they have none. */
  firstResultAt(checkIds: readonly string[]): Promise<number | undefined>;
  /** The last result of each check before `before` (what was in force when a window opens). */
  lastResultsBefore(before: number, checkIds?: readonly string[]): Promise<StoredResult[]>;
  /** The newest result of every check: the prober's state after a restart. */
  latestResults(): Promise<StoredResult[]>;

  /** A push check was heard from at `heardAt`; a later time than the stored one replaces it, an earlier one does not. */
  savePushHeard(checkId: string, heardAt: number): Promise<void>;
  /** Per push check ever heard from, when it last was. */
  pushLastHeard(): Promise<Map<string, number>>;

  saveIncident(incident: Incident): Promise<void>;
  listIncidents(query?: IncidentQuery): Promise<Incident[]>;

  saveRollups(rollups: readonly Rollup[]): Promise<void>;
  listRollups(query: RollupQuery): Promise<Rollup[]>;
  /** Per check with rollups in the range, their sum; ordered by check. What an SLA window reads of them. */
  sumRollups(query: RollupSumQuery): Promise<RollupSum[]>;
  /** End of the newest bucket rolled up at this resolution, or undefined when none. */
  rolledUpTo(resolution: RollupResolution): Promise<number | undefined>;

  /** Deletes what is older than the retention allows, relative to `now`. */
  prune(now: number, retention: Retention): Promise<PruneCounts>;
  /** Schema version after migrations. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
