// Row mapping shared by both stores: the column values written for a result, incident or rollup, and the objects
// built back from rows. The drivers differ only in small ways handled here: PostgreSQL returns BIGINT as a string
// and booleans as booleans, SQLite returns numbers for both.

import { floorTo } from '../floor-to.js';
import type { CheckStatus, FailureReason, PhaseTimings } from '../model/result.js';
import type { Retention } from '../model/retention.js';
import type { Incident, ResultStatus, Rollup, RollupResolution, RollupSum, StoredResult } from './store.js';

/** Messages are kept short: they are shown, exported and sent on, and one chatty target must not bloat the store. */
export const MAX_MESSAGE_LENGTH = 1_000;

export const BUCKET_MS: Readonly<Record<RollupResolution, number>> = { hour: 3_600_000, day: 86_400_000 };

type DbInteger = number | string;

export interface ResultRow {
  check_id: string;
  started_at: DbInteger;
  finished_at: DbInteger;
  status: string;
  reason: string | null;
  message: string;
  duration_ms: number;
  phases: string;
  http_status: number | null;
  cert_expires_at: DbInteger | null;
  consecutive_failures: number;
  in_maintenance: number | boolean;
}

export type ResultStatusRow = Pick<ResultRow, 'check_id' | 'started_at' | 'status'>;

export interface IncidentRow {
  id: string;
  check_id: string;
  opened_at: DbInteger;
  closed_at: DbInteger | null;
  first_reason: string;
  first_message: string;
  last_message: string;
  failures: number;
  last_failure_at: DbInteger;
}

export interface RollupRow {
  check_id: string;
  resolution: string;
  bucket_start: DbInteger;
  up_ms: number;
  degraded_ms: number;
  down_ms: number;
  maintenance_ms: number;
  unknown_ms: number;
  checks_total: number;
  checks_success: number;
  checks_failed: number;
}

/**
 * Text fit to store: at most MAX_MESSAGE_LENGTH characters (cut on a code point, never inside a surrogate pair) and
 * no NUL, which PostgreSQL refuses in text; a banner read off a TCP socket may well contain one.
 */
export function storableText(text: string): string {
  const clean = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  if (clean.length <= MAX_MESSAGE_LENGTH) return clean;
  return Array.from(clean).slice(0, MAX_MESSAGE_LENGTH).join('');
}

/** A result as a row, optional fields as NULL. Keys are in column order: the PostgreSQL store binds by position. */
export function resultRow(result: StoredResult): ResultRow {
  return {
    check_id: result.checkId,
    started_at: result.startedAt,
    finished_at: result.finishedAt,
    status: result.status,
    reason: result.reason ?? null,
    message: storableText(result.message),
    duration_ms: result.durationMs,
    phases: JSON.stringify(result.phases),
    http_status: result.httpStatus ?? null,
    cert_expires_at: result.certExpiresAt ?? null,
    consecutive_failures: result.consecutiveFailures,
    in_maintenance: result.inMaintenance,
  };
}

export function resultFromRow(row: ResultRow): StoredResult {
  const result: StoredResult = {
    checkId: row.check_id,
    status: row.status as CheckStatus,
    message: row.message,
    startedAt: Number(row.started_at),
    finishedAt: Number(row.finished_at),
    durationMs: row.duration_ms,
    phases: JSON.parse(row.phases) as PhaseTimings,
    consecutiveFailures: row.consecutive_failures,
    inMaintenance: Boolean(row.in_maintenance),
  };
  if (row.reason !== null) result.reason = row.reason as FailureReason;
  if (row.http_status !== null) result.httpStatus = row.http_status;
  if (row.cert_expires_at !== null) result.certExpiresAt = Number(row.cert_expires_at);
  return result;
}

/** Keys in column order, as for results. */
export function incidentRow(incident: Incident): IncidentRow {
  return {
    id: incident.id,
    check_id: incident.checkId,
    opened_at: incident.openedAt,
    closed_at: incident.closedAt ?? null,
    first_reason: incident.firstReason,
    first_message: storableText(incident.firstMessage),
    last_message: storableText(incident.lastMessage),
    failures: incident.failures,
    last_failure_at: incident.lastFailureAt,
  };
}

export function incidentFromRow(row: IncidentRow): Incident {
  const incident: Incident = {
    id: row.id,
    checkId: row.check_id,
    openedAt: Number(row.opened_at),
    firstReason: row.first_reason,
    firstMessage: row.first_message,
    lastMessage: row.last_message,
    failures: row.failures,
    lastFailureAt: Number(row.last_failure_at),
  };
  if (row.closed_at !== null) incident.closedAt = Number(row.closed_at);
  return incident;
}

/** Keys in column order, as for results. */
export function rollupRow(rollup: Rollup): RollupRow {
  return {
    check_id: rollup.checkId,
    resolution: rollup.resolution,
    bucket_start: rollup.bucketStart,
    up_ms: rollup.upMs,
    degraded_ms: rollup.degradedMs,
    down_ms: rollup.downMs,
    maintenance_ms: rollup.maintenanceMs,
    unknown_ms: rollup.unknownMs,
    checks_total: rollup.checksTotal,
    checks_success: rollup.checksSuccess,
    checks_failed: rollup.checksFailed,
  };
}

export function rollupFromRow(row: RollupRow): Rollup {
  return {
    checkId: row.check_id,
    resolution: row.resolution as RollupResolution,
    bucketStart: Number(row.bucket_start),
    upMs: row.up_ms,
    degradedMs: row.degraded_ms,
    downMs: row.down_ms,
    maintenanceMs: row.maintenance_ms,
    unknownMs: row.unknown_ms,
    checksTotal: row.checks_total,
    checksSuccess: row.checks_success,
    checksFailed: row.checks_failed,
  };
}

export function resultStatusFromRow(row: ResultStatusRow): ResultStatus {
  return { checkId: row.check_id, startedAt: Number(row.started_at), status: row.status as CheckStatus };
}

type RollupCountColumn = 'checks_total' | 'checks_success' | 'checks_failed';

export type RollupSumRow = Omit<RollupRow, 'resolution' | 'bucket_start' | RollupCountColumn> &
  Record<RollupCountColumn, DbInteger>;

/** PostgreSQL sums INTEGER columns as BIGINT (a string); the counts are far below 2^53. */
export function rollupSumFromRow(row: RollupSumRow): RollupSum {
  return {
    checkId: row.check_id,
    upMs: row.up_ms,
    degradedMs: row.degraded_ms,
    downMs: row.down_ms,
    maintenanceMs: row.maintenance_ms,
    unknownMs: row.unknown_ms,
    checksTotal: Number(row.checks_total),
    checksSuccess: Number(row.checks_success),
    checksFailed: Number(row.checks_failed),
  };
}

/** Per resolution, the end of the newest bucket among `rollups`: how far a save moves `rolledUpTo`. */
export function rollupEnds(rollups: readonly Rollup[]): Map<RollupResolution, number> {
  const ends = new Map<RollupResolution, number>();
  for (const rollup of rollups) {
    const end = rollup.bucketStart + BUCKET_MS[rollup.resolution];
    ends.set(rollup.resolution, Math.max(end, ends.get(rollup.resolution) ?? end));
  }
  return ends;
}

/** The cut-off times `prune` deletes below, relative to `now`. */
export function pruneCutoffs(now: number, retention: Retention) {
  return {
    // Raw results are kept from the start of the hour before the retention's cut: a window as long as the retention
    // starts inside the hour of the cut, whose rollup is pruned with it, and the result in force at its start (the
    // check's last one before it, up to an hour earlier) must still be there, or the window's first minutes count
    // as unknown.
    results: floorTo(now - retention.resultsMs, BUCKET_MS.hour) - BUCKET_MS.hour,
    incidents: now - retention.incidentsMs,
    hourRollups: now - retention.hourlyRollupsMs,
    // Daily rollups feed the long SLA windows, so they live as long as incidents do.
    dayRollups: now - retention.incidentsMs,
  };
}

/** Guards the `limit` of a query: a non-negative integer or nothing. */
export function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return limit;
}
