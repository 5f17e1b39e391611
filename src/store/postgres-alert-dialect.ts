// How the PostgreSQL alert store runs the shared write loop: each operation is one parameterised query on the
// transaction's connection. Several receivers may ingest the same alert at once (an Alertmanager HA pair sends every
// notification twice): an ingest first takes a transaction-scoped advisory lock per fingerprint and per notification
// group, all in one sorted order so two transactions never wait on each other in a circle, and only then reads the
// alerts it decides on and the groups it plans (so two receivers never plan the same group at once).

import type pg from 'pg';
import {
  ALERT_COLUMNS,
  type AlertRow,
  EVENT_COLUMNS,
  OPEN_SQL,
  alertFromRow,
  alertRow,
  alertValues,
  eventValues,
} from './alert-rows.js';
import { type AlertWriteDialect, type AlertWriteLoop, type AsyncOperations, runAsync } from './alert-write-loop.js';
import { inTransaction } from './postgres-transaction.js';
import { postgresOutboxOperations } from './postgres-outbox-writes.js';
import { storedGroupKey } from './outbox-rows.js';

/**
 * Hash seeds: they namespace the fingerprint and group locks apart from each other (a fingerprint and a group key
 * that happen to be the same text lock different keys), from the migration lock and from anything else using
 * advisory locks.
 */
const FINGERPRINT_LOCK_SEED = 4_711;
const GROUP_LOCK_SEED = 4_712;

/** Takes the locks in the order given: fingerprints sorted, then group keys sorted, in every transaction alike. */
const LOCK_KEYS = `
SELECT pg_advisory_xact_lock(hashtextextended(key, seed))
FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS locks(key, seed, position) ORDER BY position`;

/** The newest alert of a fingerprint, which is the open one when there is one (see the SQLite dialect). */
const LATEST = 'SELECT * FROM alerts WHERE fingerprint = $1 ORDER BY last_starts_at DESC LIMIT 1 FOR UPDATE';

const UPSERT = `
INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
ON CONFLICT (id) DO UPDATE SET ${ALERT_COLUMNS.filter((column) => column !== 'id')
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(', ')}`;

const INSERT_EVENT = `
INSERT INTO alert_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
RETURNING id`;

export const AFFECTED_CHECKS = `
SELECT COUNT(*)::integer AS count FROM (
  SELECT DISTINCT COALESCE(check_id, fingerprint) FROM alerts WHERE alertname = $1 AND ${OPEN_SQL} LIMIT $2
) AS affected`;

const CHECK_OPEN = `
SELECT EXISTS (SELECT 1 FROM alerts WHERE alertname = $1 AND COALESCE(check_id, fingerprint) = $2 AND ${OPEN_SQL}) AS open`;

export class PostgresAlertDialect implements AlertWriteDialect {
  readonly #pool: pg.Pool;

  /** `pool` must reach a migrated database: the Store that owns it does that at open. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async transaction<T>(loop: AlertWriteLoop<T>): Promise<T> {
    return inTransaction(await this.#pool.connect(), (client) => runAsync(loop, operationsOn(client)));
  }
}

function operationsOn(client: pg.PoolClient): AsyncOperations {
  return {
    async lockFingerprints({ alerts, groupKeys }) {
      const fingerprints = [...new Set(alerts.map((alert) => alert.fingerprint))].sort();
      const groups = [...new Set(groupKeys.map(storedGroupKey))].sort();
      await client.query(LOCK_KEYS, [
        [...fingerprints, ...groups],
        [...fingerprints.map(() => FINGERPRINT_LOCK_SEED), ...groups.map(() => GROUP_LOCK_SEED)],
      ]);
    },
    latest: ({ fingerprint }) => lockedRow(client, LATEST, fingerprint),
    byId: ({ id }) => lockedRow(client, 'SELECT * FROM alerts WHERE id = $1 FOR UPDATE', id),
    async affectedChecks({ alertname, cap }) {
      const { rows } = await client.query<{ count: number }>(AFFECTED_CHECKS, [alertname, cap]);
      return rows[0]?.count ?? 0;
    },
    async checkOpen({ alertname, check }) {
      const { rows } = await client.query<{ open: boolean }>(CHECK_OPEN, [alertname, check]);
      return rows[0]?.open === true;
    },
    async upsert({ row }) {
      await client.query(UPSERT, alertValues(row));
    },
    async update({ row, columns }) {
      const assignments = columns.map((column, index) => `${column} = $${index + 2}`).join(', ');
      await client.query(`UPDATE alerts SET ${assignments} WHERE id = $1`, [
        row.id,
        ...columns.map((column) => row[column]),
      ]);
    },
    async insertEvent({ event }) {
      const { rows } = await client.query<{ id: string }>(
        INSERT_EVENT,
        eventValues(event, (value) => value),
      );
      return Number(rows[0]?.id);
    },
    ...postgresOutboxOperations(client),
  };
}

/** The row, locked until the transaction ends, as written: PostgreSQL hands BIGINT back as strings. */
async function lockedRow(client: pg.PoolClient, query: string, key: string): Promise<AlertRow | undefined> {
  const { rows } = await client.query<AlertRow>(query, [key]);
  return rows[0] === undefined ? undefined : alertRow(alertFromRow(rows[0]));
}
