// The shared store: PostgreSQL through a pg Pool, for several prober replicas writing to one database. Every query
// is parameterised; batches travel as one array per column and are expanded server-side with unnest(), so a batch
// of any size is one statement. Migrations run under an advisory lock so replicas starting together take turns.

import pg from 'pg';
import type { Logger } from 'pino';
import type { Retention } from '../model/retention.js';
import { POSTGRES_INCIDENT_SQL, incidentSelect } from './incident-query.js';
import { pendingMigrations } from './migrations/index.js';
import { PostgresAlertStore } from './postgres-alert-store.js';
import { PostgresOutboxStore } from './postgres-outbox-store.js';
import { inTransaction } from './postgres-transaction.js';
import {
  type IncidentRow,
  type ResultRow,
  type ResultStatusRow,
  type RollupRow,
  type RollupSumRow,
  checkLimit,
  incidentFromRow,
  incidentRow,
  pruneCutoffs,
  resultFromRow,
  resultRow,
  resultStatusFromRow,
  rollupEnds,
  rollupFromRow,
  rollupRow,
  rollupSumFromRow,
} from './rows.js';
import type {
  Incident,
  IncidentQuery,
  PruneCounts,
  ResultQuery,
  ResultStatus,
  Rollup,
  RollupQuery,
  RollupResolution,
  RollupSum,
  RollupSumQuery,
  Store,
  StoredResult,
} from './store.js';

export interface PostgresStoreOptions {
  /** Receives errors of idle pooled connections (a server restart, say); the pool replaces them on its own. */
  logger?: Logger;
  poolSize?: number;
}

/** Key of the advisory lock that serialises migrations: any constant, the same in every Vigil. */
const MIGRATION_LOCK_KEY = 7_846_273_100;
const CONNECT_TIMEOUT_MS = 10_000;

const INSERT_RESULTS = `
INSERT INTO results (check_id, started_at, finished_at, status, reason, message, duration_ms, phases, http_status,
  cert_expires_at, consecutive_failures, in_maintenance)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
  $7::double precision[], $8::text[], $9::integer[], $10::bigint[], $11::integer[], $12::boolean[])`;

const LIST_RESULTS = `
SELECT * FROM results WHERE check_id = $1 AND started_at >= $2 AND started_at < $3 ORDER BY started_at`;

const LIST_NEWEST_RESULTS = `
SELECT * FROM (
  SELECT * FROM results WHERE check_id = $1 AND started_at >= $2 AND started_at < $3 ORDER BY started_at DESC LIMIT $4
) AS newest ORDER BY started_at`;

const RESULTS_IN_RANGE = `
SELECT check_id, started_at, status FROM results WHERE started_at >= $1 AND started_at < $2
ORDER BY check_id, started_at`;

const RESULTS_IN_RANGE_OF = `
SELECT check_id, started_at, status FROM results WHERE started_at >= $1 AND started_at < $2
  AND check_id = ANY($3::text[])
ORDER BY check_id, started_at`;

/** One seek per check into the (check_id, started_at) index, rather than MIN over all the checks' rows. */
const FIRST_RESULT_AT = `
SELECT MIN(first.started_at) AS first_at FROM (SELECT DISTINCT unnest($1::text[]) AS check_id) AS ids
CROSS JOIN LATERAL (
  SELECT started_at FROM results WHERE results.check_id = ids.check_id ORDER BY started_at LIMIT 1
) AS first`;

/** The newest result per check before $1, found by skipping through the (check_id, started_at) index. */
const LAST_BEFORE = `
SELECT last.* FROM ids CROSS JOIN LATERAL (
  SELECT * FROM results WHERE results.check_id = ids.check_id AND started_at < $1 ORDER BY started_at DESC LIMIT 1
) AS last
ORDER BY last.check_id`;

const ALL_CHECK_IDS = `
WITH RECURSIVE ids(check_id) AS (
  SELECT MIN(check_id) FROM results
  UNION ALL
  SELECT (SELECT MIN(check_id) FROM results WHERE check_id > ids.check_id) FROM ids WHERE ids.check_id IS NOT NULL
)`;

const GIVEN_CHECK_IDS = 'WITH ids(check_id) AS (SELECT DISTINCT unnest($2::text[]))';

const SAVE_INCIDENT = `
INSERT INTO incidents (id, check_id, opened_at, closed_at, first_reason, first_message, last_message, failures,
  last_failure_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (id) DO UPDATE SET check_id = EXCLUDED.check_id, opened_at = EXCLUDED.opened_at,
  closed_at = EXCLUDED.closed_at, first_reason = EXCLUDED.first_reason, first_message = EXCLUDED.first_message,
  last_message = EXCLUDED.last_message, failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at`;

const SAVE_ROLLUPS = `
INSERT INTO rollups (check_id, resolution, bucket_start, up_ms, degraded_ms, down_ms, maintenance_ms, unknown_ms,
  checks_total, checks_success, checks_failed)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::double precision[], $5::double precision[],
  $6::double precision[], $7::double precision[], $8::double precision[], $9::integer[], $10::integer[],
  $11::integer[])
ON CONFLICT (check_id, resolution, bucket_start) DO UPDATE SET up_ms = EXCLUDED.up_ms,
  degraded_ms = EXCLUDED.degraded_ms, down_ms = EXCLUDED.down_ms, maintenance_ms = EXCLUDED.maintenance_ms,
  unknown_ms = EXCLUDED.unknown_ms, checks_total = EXCLUDED.checks_total, checks_success = EXCLUDED.checks_success,
  checks_failed = EXCLUDED.checks_failed`;

const ADVANCE_ROLLED_UP_TO = `
INSERT INTO rollup_state (resolution, rolled_up_to) VALUES ($1, $2)
ON CONFLICT (resolution) DO UPDATE SET rolled_up_to = GREATEST(rollup_state.rolled_up_to, EXCLUDED.rolled_up_to)`;

const LIST_ROLLUPS = `
SELECT * FROM rollups WHERE resolution = $1 AND bucket_start >= $2 AND bucket_start < $3
ORDER BY check_id, bucket_start`;

const LIST_ROLLUPS_OF = `
SELECT * FROM rollups WHERE resolution = $1 AND bucket_start >= $2 AND bucket_start < $3
  AND check_id = ANY($4::text[])
ORDER BY check_id, bucket_start`;

const SUM_ROLLUPS_OF = `
SELECT check_id, SUM(up_ms) AS up_ms, SUM(degraded_ms) AS degraded_ms, SUM(down_ms) AS down_ms,
  SUM(maintenance_ms) AS maintenance_ms, SUM(unknown_ms) AS unknown_ms, SUM(checks_total) AS checks_total,
  SUM(checks_success) AS checks_success, SUM(checks_failed) AS checks_failed
FROM rollups WHERE resolution = $1 AND bucket_start >= $2 AND bucket_start < $3 AND check_id = ANY($4::text[])
GROUP BY check_id ORDER BY check_id`;

export class PostgresStore implements Store {
  readonly backend = 'postgres';
  readonly alerts: PostgresAlertStore;
  readonly outbox: PostgresOutboxStore;
  readonly #pool: pg.Pool;
  #closing: Promise<void> | undefined;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.outbox = new PostgresOutboxStore(pool);
    this.alerts = new PostgresAlertStore(pool, this.outbox);
  }

  /** Connects and migrates; rejects (with the driver's error) when the server cannot be reached or refuses. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'vigil',
    });
    pool.on('error', (error) => reportIdleError(error, options.logger));
    try {
      await migrate(pool);
      return new PostgresStore(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async insertResults(results: readonly StoredResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.#pool.query(INSERT_RESULTS, columnsOf(results.map(resultRow)));
  }

  async listResults(checkId: string, query: ResultQuery = {}): Promise<StoredResult[]> {
    const since = query.since ?? Number.MIN_SAFE_INTEGER;
    const until = query.until ?? Number.MAX_SAFE_INTEGER;
    const limit = checkLimit(query.limit);
    const { rows } =
      limit === undefined
        ? await this.#pool.query<ResultRow>(LIST_RESULTS, [checkId, since, until])
        : await this.#pool.query<ResultRow>(LIST_NEWEST_RESULTS, [checkId, since, until, limit]);
    return rows.map(resultFromRow);
  }

  async resultsInRange(from: number, to: number, checkIds?: readonly string[]): Promise<ResultStatus[]> {
    const { rows } =
      checkIds === undefined
        ? await this.#pool.query<ResultStatusRow>(RESULTS_IN_RANGE, [from, to])
        : await this.#pool.query<ResultStatusRow>(RESULTS_IN_RANGE_OF, [from, to, checkIds]);
    return rows.map(resultStatusFromRow);
  }

  async firstResultAt(checkIds: readonly string[]): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ first_at: string | null }>(FIRST_RESULT_AT, [checkIds]);
    const first = rows[0]?.first_at;
    return first === undefined || first === null ? undefined : Number(first);
  }

  async lastResultsBefore(before: number, checkIds?: readonly string[]): Promise<StoredResult[]> {
    const { rows } =
      checkIds === undefined
        ? await this.#pool.query<ResultRow>(ALL_CHECK_IDS + LAST_BEFORE, [before])
        : await this.#pool.query<ResultRow>(GIVEN_CHECK_IDS + LAST_BEFORE, [before, checkIds]);
    return rows.map(resultFromRow);
  }

  async latestResults(): Promise<StoredResult[]> {
    return this.lastResultsBefore(Number.MAX_SAFE_INTEGER);
  }

  async savePushHeard(checkId: string, heardAt: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO push_heartbeats (check_id, heard_at) VALUES ($1, $2)
       ON CONFLICT (check_id) DO UPDATE SET heard_at = GREATEST(push_heartbeats.heard_at, excluded.heard_at)`,
      [checkId, heardAt],
    );
  }

  async pushLastHeard(): Promise<Map<string, number>> {
    const { rows } = await this.#pool.query<{ check_id: string; heard_at: string }>(
      'SELECT check_id, heard_at FROM push_heartbeats',
    );
    return new Map(rows.map((row) => [row.check_id, Number(row.heard_at)]));
  }

  async saveIncident(incident: Incident): Promise<void> {
    await this.#pool.query(SAVE_INCIDENT, Object.values(incidentRow(incident)));
  }

  async listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    const { sql, values } = incidentSelect(query, POSTGRES_INCIDENT_SQL);
    const { rows } = await this.#pool.query<IncidentRow>(sql, values);
    return rows.map(incidentFromRow);
  }

  async saveRollups(rollups: readonly Rollup[]): Promise<void> {
    if (rollups.length === 0) return;
    await this.#transaction(async (client) => {
      await client.query(SAVE_ROLLUPS, columnsOf(lastPerBucket(rollups).map(rollupRow)));
      for (const [resolution, end] of rollupEnds(rollups)) await client.query(ADVANCE_ROLLED_UP_TO, [resolution, end]);
    });
  }

  async listRollups(query: RollupQuery): Promise<Rollup[]> {
    const { resolution, from, to, checkIds } = query;
    const { rows } =
      checkIds === undefined
        ? await this.#pool.query<RollupRow>(LIST_ROLLUPS, [resolution, from, to])
        : await this.#pool.query<RollupRow>(LIST_ROLLUPS_OF, [resolution, from, to, checkIds]);
    return rows.map(rollupFromRow);
  }

  async sumRollups(query: RollupSumQuery): Promise<RollupSum[]> {
    const { resolution, from, to, checkIds } = query;
    const { rows } = await this.#pool.query<RollupSumRow>(SUM_ROLLUPS_OF, [resolution, from, to, checkIds]);
    return rows.map(rollupSumFromRow);
  }

  async rolledUpTo(resolution: RollupResolution): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ rolled_up_to: string }>(
      'SELECT rolled_up_to FROM rollup_state WHERE resolution = $1',
      [resolution],
    );
    const row = rows[0];
    return row === undefined ? undefined : Number(row.rolled_up_to);
  }

  async prune(now: number, retention: Retention): Promise<PruneCounts> {
    const cutoffs = pruneCutoffs(now, retention);
    const deleted = async (sql: string, params: unknown[]): Promise<number> =>
      (await this.#pool.query(sql, params)).rowCount ?? 0;
    const results = await deleted('DELETE FROM results WHERE started_at < $1', [cutoffs.results]);
    const incidents = await deleted('DELETE FROM incidents WHERE closed_at < $1', [cutoffs.incidents]);
    const pruneRollups = 'DELETE FROM rollups WHERE resolution = $1 AND bucket_start < $2';
    const rollups =
      (await deleted(pruneRollups, ['hour', cutoffs.hourRollups])) +
      (await deleted(pruneRollups, ['day', cutoffs.dayRollups]));
    return { results, incidents, rollups };
  }

  async schemaVersion(): Promise<number> {
    return appliedVersion(this.#pool);
  }

  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }

  async #transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    await inTransaction(await this.#pool.connect(), work);
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  await inTransaction(await pool.connect(), async (client) => {
    // Held until commit: a second replica waits here, then finds the migrations applied.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL
       )`,
    );
    for (const migration of pendingMigrations(await appliedVersion(client))) {
      await client.query(migration.postgres);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
    }
  });
}

async function appliedVersion(queryable: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await queryable.query<{ version: number }>(
    'SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

/** Rows as one array per column, in column order: the parameters of an unnest() insert. */
function columnsOf<Row extends object>(rows: readonly Row[]): unknown[][] {
  const first = rows[0];
  if (first === undefined) return [];
  return Object.keys(first).map((key) => rows.map((row) => row[key as keyof Row]));
}

/** One rollup per bucket, the last given winning: ON CONFLICT may not touch a row twice in one statement. */
function lastPerBucket(rollups: readonly Rollup[]): Rollup[] {
  const byBucket = new Map<string, Rollup>();
  for (const rollup of rollups) {
    byBucket.set(`${rollup.checkId}\u0000${rollup.resolution}\u0000${rollup.bucketStart}`, rollup);
  }
  return [...byBucket.values()];
}

function reportIdleError(error: Error, logger: Logger | undefined): void {
  if (logger) logger.warn({ err: error }, 'postgres store: an idle connection failed; the pool will open a new one');
  else process.emitWarning(`postgres store: an idle connection failed: ${error.message}`);
}
