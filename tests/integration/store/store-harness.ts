// What the shared store suites need from a backend: a fresh database per test, stores opened on it, raw SQL for
// looking underneath, and a way to make result writes fail for real (a lock, a revoked privilege). Also the sample
// data builders both suites use.

import type { Incident, Rollup, Store, StoredResult } from '../../../src/store/store.js';

export interface StoreFixture {
  /** Opens a store on this test's database; may be called again (a restart, a second replica). */
  open(): Promise<Store>;
  /** Runs SQL on the database through a connection of its own. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /**
   * The plan the database chooses for `sql` with `values`, as text (SQLite's EXPLAIN QUERY PLAN details; PostgreSQL's
   * EXPLAIN with sequential scans made the last resort, so a small test table still shows the index it can use).
   */
  plan(sql: string, values: readonly unknown[]): Promise<string>;
  /** Makes inserting results fail until the returned function is called. */
  blockResultWrites(): Promise<() => Promise<void>>;
  /** Closes every store it opened and removes the database. */
  dispose(): Promise<void>;
}

export interface StoreHarness {
  backend: Store['backend'];
  /** A fixture over a new, empty database. */
  create(): Promise<StoreFixture>;
}

/** A Monday, 00:00 UTC: aligned to hours and days. */
export const T0 = Date.UTC(2025, 0, 6);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Spacing of generated result series: a probe every 30 s. */
export const RESULT_SPACING_MS = 30_000;

export function result(checkId: string, startedAt: number, overrides: Partial<StoredResult> = {}): StoredResult {
  return {
    checkId,
    status: 'healthy',
    message: `200 OK at ${startedAt}`,
    startedAt,
    finishedAt: startedAt + 42,
    durationMs: 41.5,
    phases: { dns: 1.25, connect: 3, processing: 30, transfer: 7.25 },
    consecutiveFailures: 0,
    inMaintenance: false,
    ...overrides,
  };
}

export function incident(id: string, checkId: string, openedAt: number, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    checkId,
    openedAt,
    firstReason: 'timeout',
    firstMessage: 'no answer within 5000 ms',
    lastMessage: 'no answer within 5000 ms',
    failures: 1,
    lastFailureAt: openedAt,
    ...overrides,
  };
}

export function rollup(
  checkId: string,
  resolution: Rollup['resolution'],
  bucketStart: number,
  upMs = 3_000_000,
): Rollup {
  return {
    checkId,
    resolution,
    bucketStart,
    upMs,
    degradedMs: 250_000.5,
    downMs: 100_000,
    maintenanceMs: 0,
    unknownMs: 249_999.5,
    checksTotal: 120,
    checksSuccess: 117,
    checksFailed: 3,
  };
}

/** Start times of results, for asserting order without repeating whole objects. */
type Started = Pick<StoredResult, 'checkId' | 'startedAt'>;

export function startTimes(results: readonly Started[]): Array<[string, number]> {
  return results.map((stored) => [stored.checkId, stored.startedAt]);
}

/** Takes a database back to schema 6, as the release before the outbox left it (the store must be closed). */
export async function undoOutboxMigration(fixture: Pick<StoreFixture, 'query'>): Promise<void> {
  // Migration 8 (push heartbeats) came after the outbox: a schema-6 database has neither.
  await fixture.query('DROP TABLE push_heartbeats');
  await fixture.query('DELETE FROM schema_migrations WHERE version = 8');
  for (const table of ['outbox_jobs', 'notification_alerts', 'notifications', 'notification_groups']) {
    await fixture.query(`DROP TABLE ${table}`);
  }
  await fixture.query('DELETE FROM schema_migrations WHERE version = 7');
}
