// The embedded store: one SQLite file in the data directory through better-sqlite3. WAL lets readers (the status
// page) run beside the writer; synchronous=NORMAL keeps commits cheap and loses at most the last transactions on a
// power cut, never the file. The driver is synchronous, so big deletes are cut into chunks that yield between them.

import { copyWith } from '../copy-with.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { CheckStatus } from '../model/result.js';
import { SQLITE_INCIDENT_SQL, incidentSelect } from './incident-query.js';
import { pendingMigrations } from './migrations/index.js';
import { SqliteAlertStore } from './sqlite-alert-store.js';
import { deleteInChunks } from './sqlite-chunked-delete.js';
import { SqliteOutboxStore } from './sqlite-outbox-store.js';
import { BACKSTOP_PAGES, BackgroundCheckpointer } from './sqlite-checkpointer.js';
import {
  type IncidentRow,
  type ResultRow,
  type RollupRow,
  type RollupSumRow,
  checkLimit,
  incidentFromRow,
  incidentRow,
  pruneCutoffs,
  resultFromRow,
  resultRow,
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
import type { Retention } from '../model/retention.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock (a backup, the sqlite3 shell) before it fails. */
  busyTimeoutMs?: number;
  /**
   * Checkpoint the WAL from a thread of its own instead of in the commit that passes 1,000 pages, so no commit
   * stalls the event loop for one (sqlite-checkpointer.ts); costs a thread and about 16 MB.
   */
  checkpointInBackground?: boolean;
  /** Told when the background checkpoint cannot start or fails (the store goes on checkpointing itself). */
  logger?: Logger;
  /**
   * A second, read-only connection to a database another connection has opened (and migrated) in WAL mode: no
   * migration, no setting that writes. Reads on it run beside the other connection's writes.
   */
  readOnly?: boolean;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** SQLite's own automatic checkpoint, in WAL pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;
/** Rows deleted per statement when pruning: long enough to be efficient, short enough not to stall the loop. */
const PRUNE_CHUNK = 5_000;

type SqliteResultRow = Omit<ResultRow, 'in_maintenance'> & { in_maintenance: number };

/** The newest result per check before a time, found by skipping through the (check_id, started_at) index. */
const LAST_BEFORE = `
SELECT results.* FROM ids JOIN results ON results.rowid = (
  SELECT r.rowid FROM results AS r WHERE r.check_id = ids.check_id AND r.started_at < @before
  ORDER BY r.started_at DESC LIMIT 1
)
ORDER BY results.check_id`;

const ALL_CHECK_IDS = `
WITH RECURSIVE ids(check_id) AS (
  SELECT MIN(check_id) FROM results
  UNION ALL
  SELECT (SELECT MIN(check_id) FROM results WHERE check_id > ids.check_id) FROM ids WHERE ids.check_id IS NOT NULL
)`;

const GIVEN_CHECK_IDS = 'WITH ids(check_id) AS (SELECT DISTINCT value FROM json_each(@checkIds))';

/** A ResultStatus as SQLite gives it: times are INTEGER, read as numbers. */
const RESULT_STATUS = 'check_id AS checkId, started_at AS startedAt, status';

function prepareStatements(db: Database.Database) {
  return {
    insertResult: db.prepare<[SqliteResultRow]>(
      `INSERT INTO results (check_id, started_at, finished_at, status, reason, message, duration_ms, phases,
         http_status, cert_expires_at, consecutive_failures, in_maintenance)
       VALUES (@check_id, @started_at, @finished_at, @status, @reason, @message, @duration_ms, @phases,
         @http_status, @cert_expires_at, @consecutive_failures, @in_maintenance)`,
    ),
    listResults: db.prepare<[string, number, number], ResultRow>(
      'SELECT * FROM results WHERE check_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at',
    ),
    listNewestResults: db.prepare<[string, number, number, number], ResultRow>(
      `SELECT * FROM (
         SELECT * FROM results WHERE check_id = ? AND started_at >= ? AND started_at < ?
         ORDER BY started_at DESC LIMIT ?
       ) ORDER BY started_at`,
    ),
    // Rows come out as ResultStatus objects, unmapped: the SLA reads a hundred thousand of them at a time.
    resultsInRange: db.prepare<[number, number], ResultStatus>(
      `SELECT ${RESULT_STATUS} FROM results WHERE started_at >= ? AND started_at < ? ORDER BY check_id, started_at`,
    ),
    // Rows as [started_at, status] arrays: no object, and no check id string, per row.
    checkResultsInRange: db
      .prepare<[string, number, number], [number, CheckStatus]>(
        'SELECT started_at, status FROM results WHERE check_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at',
      )
      .raw(),
    // One seek per check into the (check_id, started_at) index.
    firstResultAt: db
      .prepare<[string], number | null>(
        `SELECT MIN((SELECT started_at FROM results WHERE check_id = ids.value ORDER BY started_at LIMIT 1))
       FROM json_each(?) AS ids`,
      )
      .pluck(),
    lastBefore: db.prepare<[{ before: number }], ResultRow>(ALL_CHECK_IDS + LAST_BEFORE),
    lastBeforeOf: db.prepare<[{ before: number; checkIds: string }], ResultRow>(GIVEN_CHECK_IDS + LAST_BEFORE),
    savePushHeard: db.prepare<[string, number]>(
      `INSERT INTO push_heartbeats (check_id, heard_at) VALUES (?, ?)
       ON CONFLICT (check_id) DO UPDATE SET heard_at = max(heard_at, excluded.heard_at)`,
    ),
    pushLastHeard: db.prepare<[], [string, number]>('SELECT check_id, heard_at FROM push_heartbeats').raw(),
    saveIncident: db.prepare<[IncidentRow]>(
      `INSERT INTO incidents (id, check_id, opened_at, closed_at, first_reason, first_message, last_message,
         failures, last_failure_at)
       VALUES (@id, @check_id, @opened_at, @closed_at, @first_reason, @first_message, @last_message,
         @failures, @last_failure_at)
       ON CONFLICT (id) DO UPDATE SET check_id = excluded.check_id, opened_at = excluded.opened_at,
         closed_at = excluded.closed_at, first_reason = excluded.first_reason,
         first_message = excluded.first_message, last_message = excluded.last_message,
         failures = excluded.failures, last_failure_at = excluded.last_failure_at`,
    ),
    saveRollup: db.prepare<[RollupRow]>(
      `INSERT INTO rollups (check_id, resolution, bucket_start, up_ms, degraded_ms, down_ms, maintenance_ms,
         unknown_ms, checks_total, checks_success, checks_failed)
       VALUES (@check_id, @resolution, @bucket_start, @up_ms, @degraded_ms, @down_ms, @maintenance_ms,
         @unknown_ms, @checks_total, @checks_success, @checks_failed)
       ON CONFLICT (check_id, resolution, bucket_start) DO UPDATE SET up_ms = excluded.up_ms,
         degraded_ms = excluded.degraded_ms, down_ms = excluded.down_ms, maintenance_ms = excluded.maintenance_ms,
         unknown_ms = excluded.unknown_ms, checks_total = excluded.checks_total,
         checks_success = excluded.checks_success, checks_failed = excluded.checks_failed`,
    ),
    advanceRolledUpTo: db.prepare<[RollupResolution, number]>(
      `INSERT INTO rollup_state (resolution, rolled_up_to) VALUES (?, ?)
       ON CONFLICT (resolution) DO UPDATE SET rolled_up_to = MAX(rolled_up_to, excluded.rolled_up_to)`,
    ),
    listRollups: db.prepare<[RollupResolution, number, number], RollupRow>(
      `SELECT * FROM rollups WHERE resolution = ? AND bucket_start >= ? AND bucket_start < ?
       ORDER BY check_id, bucket_start`,
    ),
    listRollupsOf: db.prepare<[RollupResolution, number, number, string], RollupRow>(
      `SELECT * FROM rollups WHERE resolution = ? AND bucket_start >= ? AND bucket_start < ?
         AND check_id IN (SELECT value FROM json_each(?)) ORDER BY check_id, bucket_start`,
    ),
    // Per check, a range of the primary key (check_id, resolution, bucket_start): the rows of a WITHOUT ROWID table
    // lie in that order, so this reads only the rows summed, never the (resolution, bucket_start) index.
    sumRollupsOf: db.prepare<[RollupResolution, number, number, string], RollupSumRow>(
      `SELECT check_id, SUM(up_ms) AS up_ms, SUM(degraded_ms) AS degraded_ms, SUM(down_ms) AS down_ms,
         SUM(maintenance_ms) AS maintenance_ms, SUM(unknown_ms) AS unknown_ms, SUM(checks_total) AS checks_total,
         SUM(checks_success) AS checks_success, SUM(checks_failed) AS checks_failed
       FROM rollups WHERE resolution = ? AND bucket_start >= ? AND bucket_start < ?
         AND check_id IN (SELECT value FROM json_each(?))
       GROUP BY check_id ORDER BY check_id`,
    ),
    rolledUpTo: db
      .prepare<[RollupResolution], number>('SELECT rolled_up_to FROM rollup_state WHERE resolution = ?')
      .pluck(),
    pruneResultsChunk: db.prepare<[number, number]>(
      'DELETE FROM results WHERE rowid IN (SELECT rowid FROM results WHERE started_at < ? LIMIT ?)',
    ),
    pruneIncidents: db.prepare<[number]>('DELETE FROM incidents WHERE closed_at < ?'),
    pruneRollups: db.prepare<[RollupResolution, number]>(
      'DELETE FROM rollups WHERE resolution = ? AND bucket_start < ?',
    ),
    schemaVersion: db.prepare<[], number>('SELECT COALESCE(MAX(version), 0) FROM schema_migrations').pluck(),
  };
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  /** The database file: a second connection (a thread's) opens it with `readOnly`. */
  readonly file: string;
  readonly alerts: SqliteAlertStore;
  readonly outbox: SqliteOutboxStore;
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  /** listIncidents' statements by their text: one per combination of filters, a couple of dozen at most. */
  readonly #incidentStatements = new Map<string, Database.Statement<unknown[], IncidentRow>>();

  #checkpointer: BackgroundCheckpointer | undefined;

  private constructor(file: string, db: Database.Database, checkpointer: BackgroundCheckpointer | undefined) {
    this.file = file;
    this.#db = db;
    this.#checkpointer = checkpointer;
    this.#statements = prepareStatements(db);
    this.outbox = new SqliteOutboxStore(db);
    this.alerts = new SqliteAlertStore(db, this.outbox);
  }

  /** Opens (creating the file and its directory when missing) and migrates the database at `file`. */
  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    if (options.readOnly === true) return SqliteStore.#openReadOnly(file, options);
    await mkdir(path.dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      const checkpointer = options.checkpointInBackground
        ? await startCheckpointer(db, file, options.logger)
        : undefined;
      return new SqliteStore(file, db, checkpointer);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  static #openReadOnly(file: string, options: SqliteStoreOptions): SqliteStore {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      return new SqliteStore(file, db, undefined);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async insertResults(results: readonly StoredResult[]): Promise<void> {
    if (results.length === 0) return;
    const insert = this.#statements.insertResult;
    this.#db.transaction(() => {
      for (const result of results) insert.run(sqliteResultRow(result));
    })();
  }

  async listResults(checkId: string, query: ResultQuery = {}): Promise<StoredResult[]> {
    const since = query.since ?? Number.MIN_SAFE_INTEGER;
    const until = query.until ?? Number.MAX_SAFE_INTEGER;
    const limit = checkLimit(query.limit);
    const rows =
      limit === undefined
        ? this.#statements.listResults.all(checkId, since, until)
        : this.#statements.listNewestResults.all(checkId, since, until, limit);
    return rows.map(resultFromRow);
  }

  async resultsInRange(from: number, to: number, checkIds?: readonly string[]): Promise<ResultStatus[]> {
    if (checkIds === undefined) return this.#statements.resultsInRange.all(from, to);
    // One index seek per check: a third faster than one statement over all of them, which sorts the rows and builds
    // a check id string for each (the SLA reads a hundred thousand at a window's first refresh).
    const found: ResultStatus[] = [];
    for (const checkId of inByteOrder(checkIds)) {
      for (const [startedAt, status] of this.#statements.checkResultsInRange.all(checkId, from, to)) {
        found.push({ checkId, startedAt, status });
      }
    }
    return found;
  }

  async firstResultAt(checkIds: readonly string[]): Promise<number | undefined> {
    return this.#statements.firstResultAt.get(JSON.stringify(checkIds)) ?? undefined;
  }

  async lastResultsBefore(before: number, checkIds?: readonly string[]): Promise<StoredResult[]> {
    const rows =
      checkIds === undefined
        ? this.#statements.lastBefore.all({ before })
        : this.#statements.lastBeforeOf.all({ before, checkIds: JSON.stringify(checkIds) });
    return rows.map(resultFromRow);
  }

  async latestResults(): Promise<StoredResult[]> {
    return this.lastResultsBefore(Number.MAX_SAFE_INTEGER);
  }

  async savePushHeard(checkId: string, heardAt: number): Promise<void> {
    this.#statements.savePushHeard.run(checkId, heardAt);
  }

  async pushLastHeard(): Promise<Map<string, number>> {
    return new Map(this.#statements.pushLastHeard.all());
  }

  async saveIncident(incident: Incident): Promise<void> {
    this.#statements.saveIncident.run(incidentRow(incident));
  }

  async listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    const { sql, values } = incidentSelect(query, SQLITE_INCIDENT_SQL);
    let statement = this.#incidentStatements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], IncidentRow>(sql);
      this.#incidentStatements.set(sql, statement);
    }
    return statement.all(...values).map(incidentFromRow);
  }

  async saveRollups(rollups: readonly Rollup[]): Promise<void> {
    if (rollups.length === 0) return;
    const { saveRollup, advanceRolledUpTo } = this.#statements;
    this.#db.transaction(() => {
      for (const rollup of rollups) saveRollup.run(rollupRow(rollup));
      for (const [resolution, end] of rollupEnds(rollups)) advanceRolledUpTo.run(resolution, end);
    })();
  }

  async listRollups(query: RollupQuery): Promise<Rollup[]> {
    const { resolution, from, to, checkIds } = query;
    const rows =
      checkIds === undefined
        ? this.#statements.listRollups.all(resolution, from, to)
        : this.#statements.listRollupsOf.all(resolution, from, to, JSON.stringify(checkIds));
    return rows.map(rollupFromRow);
  }

  async sumRollups(query: RollupSumQuery): Promise<RollupSum[]> {
    const { resolution, from, to, checkIds } = query;
    return this.#statements.sumRollupsOf.all(resolution, from, to, JSON.stringify(checkIds)).map(rollupSumFromRow);
  }

  async rolledUpTo(resolution: RollupResolution): Promise<number | undefined> {
    return this.#statements.rolledUpTo.get(resolution);
  }

  async prune(now: number, retention: Retention): Promise<PruneCounts> {
    const cutoffs = pruneCutoffs(now, retention);
    const { pruneResultsChunk, pruneIncidents, pruneRollups } = this.#statements;
    const results = await deleteInChunks(pruneResultsChunk, [cutoffs.results], PRUNE_CHUNK);
    const incidents = pruneIncidents.run(cutoffs.incidents).changes;
    const rollups =
      pruneRollups.run('hour', cutoffs.hourRollups).changes + pruneRollups.run('day', cutoffs.dayRollups).changes;
    return { results, incidents, rollups };
  }

  async schemaVersion(): Promise<number> {
    return this.#statements.schemaVersion.get() ?? 0;
  }

  async close(): Promise<void> {
    const checkpointer = this.#checkpointer;
    this.#checkpointer = undefined;
    await checkpointer?.stop();
    if (this.#db.open) this.#db.close();
  }
}

/** The background checkpoint, with the main connection's own raised to a backstop; none when it cannot start. */
async function startCheckpointer(
  db: Database.Database,
  file: string,
  logger: Logger | undefined,
): Promise<BackgroundCheckpointer | undefined> {
  try {
    const checkpointer = await BackgroundCheckpointer.start({
      file,
      ...(logger ? { logger } : {}),
      onFailed: () => {
        if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      },
    });
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    return checkpointer;
  } catch (error) {
    logger?.warn({ err: error }, 'sqlite: background checkpoint not started; commits checkpoint as usual');
    return undefined;
  }
}

function sqliteResultRow(result: StoredResult): SqliteResultRow {
  return copyWith(resultRow(result), { in_maintenance: result.inMaintenance ? 1 : 0 });
}

/** Applies pending migrations in one write transaction, so two processes opening the same file take turns. */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL
       ) STRICT`,
    );
    const applied = db.prepare<[], number>('SELECT COALESCE(MAX(version), 0) FROM schema_migrations').pluck().get();
    const record = db.prepare<[number, string, number]>(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    for (const migration of pendingMigrations(applied ?? 0)) {
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name, Date.now());
    }
  }).immediate();
}

/** Distinct ids in SQLite's order for text (its bytes, UTF-8), which differs from UTF-16's outside the BMP. */
function inByteOrder(ids: readonly string[]): string[] {
  const encoded = [...new Set(ids)].map((id) => ({ id, bytes: Buffer.from(id) }));
  return encoded.sort((a, b) => Buffer.compare(a.bytes, b.bytes)).map(({ id }) => id);
}
