// How the SQLite alert store runs the shared write loop: each operation is one prepared statement, and a loop runs
// whole inside one immediate transaction, synchronously, so no other request enters it and nothing else needs
// locking. Rows are bound by position, or by name for the cached UPDATE statements.

import type Database from 'better-sqlite3';
import {
  ALERT_COLUMNS,
  type AlertColumn,
  type AlertRow,
  EVENT_COLUMNS,
  OPEN_SQL,
  alertValues,
  eventValues,
} from './alert-rows.js';
import { type AlertWriteDialect, type AlertWriteLoop, type SyncOperations, runSync } from './alert-write-loop.js';
import { sqliteOutboxOperations } from './sqlite-outbox-writes.js';

/**
 * The newest alert of a fingerprint, straight off the (fingerprint, last_starts_at) index. It is the open one when
 * there is one: the state machine only opens an alert for a firing newer than every stored one, and a refiring only
 * moves the open alert's last start forward.
 */
const LATEST = 'SELECT * FROM alerts WHERE fingerprint = ? ORDER BY last_starts_at DESC LIMIT 1';

const sqliteBool = (value: boolean): number => (value ? 1 : 0);

function prepareStatements(db: Database.Database) {
  const assignments = ALERT_COLUMNS.filter((column) => column !== 'id').map(
    (column) => `${column} = excluded.${column}`,
  );
  return {
    latest: db.prepare<[string], AlertRow>(LATEST),
    byId: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?'),
    // Bound by position: binding named parameters costs about as much again as the insert's own bookkeeping.
    upsert: db.prepare<unknown[]>(
      `INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${assignments.join(', ')}`,
    ),
    insertEvent: db.prepare<unknown[]>(
      `INSERT INTO alert_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
    ),
    affectedChecks: sqliteAffectedChecks(db),
    checkOpen: db
      .prepare<[string, string], number>(
        `SELECT EXISTS (SELECT 1 FROM alerts WHERE alertname = ? AND COALESCE(check_id, fingerprint) = ? AND ${OPEN_SQL})`,
      )
      .pluck(),
  };
}

/** Distinct checks with an open alert of a name, up to a cap: the alerts_open_checks index answers it on its own. */
export function sqliteAffectedChecks(db: Database.Database): Database.Statement<[string, number], number> {
  return db
    .prepare<[string, number], number>(
      `SELECT COUNT(*) FROM (
       SELECT DISTINCT COALESCE(check_id, fingerprint) FROM alerts WHERE alertname = ? AND ${OPEN_SQL} LIMIT ?
     )`,
    )
    .pluck();
}

export class SqliteAlertDialect implements AlertWriteDialect {
  readonly #db: Database.Database;
  readonly #operations: SyncOperations;
  /** UPDATE statements by the columns they set: few distinct sets occur (a refresh, a refiring, a close…). */
  readonly #updates = new Map<string, Database.Statement<[AlertRow]>>();
  readonly #transaction: Database.Transaction<(loop: AlertWriteLoop<unknown>) => unknown>;

  /** `db` must be migrated: the Store that owns it does that at open. */
  constructor(db: Database.Database) {
    this.#db = db;
    const statements = prepareStatements(db);
    this.#operations = {
      // The immediate transaction already keeps every other writer out.
      lockFingerprints: () => undefined,
      latest: ({ fingerprint }) => statements.latest.get(fingerprint),
      byId: ({ id }) => statements.byId.get(id),
      affectedChecks: ({ alertname, cap }) => statements.affectedChecks.get(alertname, cap) ?? 0,
      checkOpen: ({ alertname, check }) => statements.checkOpen.get(alertname, check) === 1,
      upsert: ({ row }) => void statements.upsert.run(alertValues(row)),
      update: ({ row, columns }) => void this.#update(columns).run(row),
      insertEvent: ({ event }) => Number(statements.insertEvent.run(eventValues(event, sqliteBool)).lastInsertRowid),
      ...sqliteOutboxOperations(db),
    };
    this.#transaction = db.transaction((loop: AlertWriteLoop<unknown>) => runSync(loop, this.#operations));
  }

  transaction<T>(loop: AlertWriteLoop<T>): T {
    return this.#transaction.immediate(loop) as T;
  }

  #update(columns: readonly AlertColumn[]): Database.Statement<[AlertRow]> {
    const key = columns.join(',');
    let statement = this.#updates.get(key);
    if (statement === undefined) {
      const assignments = columns.map((column) => `${column} = @${column}`).join(', ');
      statement = this.#db.prepare<[AlertRow]>(`UPDATE alerts SET ${assignments} WHERE id = @id`);
      this.#updates.set(key, statement);
    }
    return statement;
  }
}
