// The alert store on PostgreSQL, sharing the Store's pool. Several receivers may ingest the same alert at once (an
// Alertmanager HA pair sends every notification twice): each transaction first takes a transaction-scoped advisory
// lock per fingerprint, in sorted order so two transactions never wait on each other in a circle, and only then
// reads the alert it decides on. Every query is parameterised.

import type pg from 'pg';
import {
  ALERT_COLUMNS,
  type AlertEventRow,
  type AlertRow,
  EVENT_COLUMNS,
  alertFromRow,
  alertRow,
  alertValues,
  changedColumns,
  eventFromRow,
  eventValues,
} from './alert-rows.js';
import type { AlertCount, AlertQuery, AlertStore, AppliedChange, IngestPlanner } from './alert-store.js';
import {
  OPEN_ALERT_STATES,
  isOpen,
  type AlertChange,
  type AlertEnrichment,
  type AlertEvent,
  type AlertRecord,
  type AlertState,
  type IncomingAlert,
  type IngestEnrichment,
} from '../model/alert.js';
import { AffectedChecks, type CheckFound } from './affected-checks.js';

/** Namespaces the fingerprint locks apart from the migration lock and anything else using advisory locks. */
const FINGERPRINT_LOCK_SEED = 4_711;
const OPEN = `state IN (${OPEN_ALERT_STATES.map((state) => `'${state}'`).join(', ')})`;

const LOCK_FINGERPRINTS = `
SELECT pg_advisory_xact_lock(hashtextextended(fingerprint, ${FINGERPRINT_LOCK_SEED}))
FROM unnest($1::text[]) WITH ORDINALITY AS locks(fingerprint, position) ORDER BY position`;

/** The newest alert of a fingerprint, which is the open one when there is one (see the SQLite store). */
const LATEST = 'SELECT * FROM alerts WHERE fingerprint = $1 ORDER BY last_starts_at DESC LIMIT 1 FOR UPDATE';

const UPSERT = `
INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
ON CONFLICT (id) DO UPDATE SET ${ALERT_COLUMNS.filter((column) => column !== 'id')
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(', ')}`;

const INSERT_EVENT = `
INSERT INTO alert_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
RETURNING id`;

const LIST = `
SELECT * FROM alerts
WHERE ($1::text[] IS NULL OR state = ANY($1::text[]))
  AND ($2::text IS NULL OR severity = $2)
  AND ($3::text IS NULL OR check_id = $3)
  AND ($4::bigint IS NULL OR starts_at >= $4)
  AND ($5::bigint IS NULL OR starts_at < $5 OR (starts_at = $5 AND id < $6::text))
ORDER BY starts_at DESC, id DESC
LIMIT $7`;

const COUNTS = `
SELECT state, severity, alertname, COUNT(*)::integer AS count FROM alerts
WHERE $1::text[] IS NULL OR state = ANY($1::text[])
GROUP BY state, severity, alertname ORDER BY state, severity, alertname`;

/** Naming the open states lets the planner scan a partial index over the open alerts, not the whole history. */
const OPEN_COUNTS = `
SELECT state, severity, alertname, COUNT(*)::integer AS count FROM alerts
WHERE ${OPEN} AND state = ANY($1::text[])
GROUP BY state, severity, alertname ORDER BY state, severity, alertname`;

/** Each side is a range search on its partial index (migration 5). */
const DUE_FOR_TIMEOUT = `
SELECT * FROM alerts
WHERE (state IN ('active', 'acknowledged') AND last_seen_at < $1) OR (state = 'suppressed' AND suppressed_until <= $2)
LIMIT $3`;

const AFFECTED_CHECKS = `
SELECT COUNT(*)::integer AS count FROM (
  SELECT DISTINCT COALESCE(check_id, fingerprint) FROM alerts WHERE alertname = $1 AND ${OPEN} LIMIT $2
) AS affected`;

const CHECK_OPEN = `
SELECT EXISTS (SELECT 1 FROM alerts WHERE alertname = $1 AND COALESCE(check_id, fingerprint) = $2 AND ${OPEN}) AS open`;

const SAVE_ENRICHMENTS = `
UPDATE alerts SET enrichment = given.enrichment
FROM unnest($1::text[], $2::text[]) AS given(id, enrichment) WHERE alerts.id = given.id`;

export class PostgresAlertStore implements AlertStore {
  readonly #pool: pg.Pool;
  readonly #affectedChecks = new AffectedChecks();

  /** `pool` must reach a migrated database: the Store that owns it does that at open. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async ingest<Outcome extends string>(
    incoming: readonly IncomingAlert[],
    plan: IngestPlanner<Outcome>,
    enrichment?: IngestEnrichment,
  ): Promise<Array<AppliedChange<Outcome>>> {
    const checks = this.#affectedChecks;
    const ingest = this.#transaction(async (client) => {
      const fingerprints = [...new Set(incoming.map((alert) => alert.fingerprint))].sort();
      await client.query(LOCK_FINGERPRINTS, [fingerprints]);
      const applied: Array<AppliedChange<Outcome>> = [];
      for (const alert of incoming) {
        const { rows } = await client.query<AlertRow>(LATEST, [alert.fingerprint]);
        const row = rows[0];
        let change = plan(row === undefined ? undefined : alertFromRow(row), alert);
        if (enrichment !== undefined) {
          const lookups = checks.lookups(change);
          const found: CheckFound[] = [];
          for (const { name, check, countName } of lookups) {
            const open = await client.query<{ open: boolean }>(CHECK_OPEN, [name, check]);
            const count = countName ? await affectedChecks(client, name, enrichment.affectedChecksCap) : undefined;
            found.push({ ...(count === undefined ? {} : { count }), checkOpen: open.rows[0]?.open === true });
          }
          change = checks.enrich(change, enrichment, lookups, found);
        }
        applied.push(await apply(client, change, row, checks));
      }
      return applied;
    });
    return ingest.catch((error: unknown) => {
      checks.forgetAll();
      throw error;
    });
  }

  async change<Outcome extends string>(
    id: string,
    plan: (current: AlertRecord) => AlertChange<Outcome>,
  ): Promise<AppliedChange<Outcome> | undefined> {
    return this.#transaction(async (client) => {
      const { rows } = await client.query<AlertRow>('SELECT * FROM alerts WHERE id = $1 FOR UPDATE', [id]);
      const row = rows[0];
      return row === undefined ? undefined : apply(client, plan(alertFromRow(row)), row, this.#affectedChecks);
    });
  }

  async get(id: string): Promise<AlertRecord | undefined> {
    const { rows } = await this.#pool.query<AlertRow>('SELECT * FROM alerts WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : alertFromRow(rows[0]);
  }

  async events(alertId: string): Promise<AlertEvent[]> {
    const { rows } = await this.#pool.query<AlertEventRow>(
      'SELECT * FROM alert_events WHERE alert_id = $1 ORDER BY id',
      [alertId],
    );
    return rows.map(eventFromRow);
  }

  async list(query: AlertQuery): Promise<AlertRecord[]> {
    const { rows } = await this.#pool.query<AlertRow>(LIST, [
      query.states ?? null,
      query.severity ?? null,
      query.checkId ?? null,
      query.since ?? null,
      query.before?.startsAt ?? null,
      query.before?.id ?? null,
      query.limit,
    ]);
    return rows.map(alertFromRow);
  }

  async startedBetween(from: number, to: number, limit: number): Promise<AlertRecord[]> {
    const { rows } = await this.#pool.query<AlertRow>(
      'SELECT * FROM alerts WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id LIMIT $3',
      [from, to, limit],
    );
    return rows.map(alertFromRow);
  }

  async counts(states?: readonly AlertState[]): Promise<AlertCount[]> {
    const query = states !== undefined && states.every(isOpen) ? OPEN_COUNTS : COUNTS;
    const { rows } = await this.#pool.query<AlertCount>(query, [states ?? null]);
    return rows;
  }

  async affectedChecks(alertname: string, cap: number): Promise<number> {
    return affectedChecks(this.#pool, alertname, cap);
  }

  async dueForTimeout(lastSeenBefore: number, suppressedUntil: number, limit: number): Promise<AlertRecord[]> {
    const { rows } = await this.#pool.query<AlertRow>(DUE_FOR_TIMEOUT, [lastSeenBefore, suppressedUntil, limit]);
    return rows.map(alertFromRow);
  }

  async pendingEnrichment(limit: number): Promise<AlertRecord[]> {
    const { rows } = await this.#pool.query<AlertRow>(
      'SELECT * FROM alerts WHERE enrichment IS NULL ORDER BY first_seen_at LIMIT $1',
      [limit],
    );
    return rows.map(alertFromRow);
  }

  async saveEnrichments(enrichments: ReadonlyArray<{ id: string; enrichment: AlertEnrichment }>): Promise<void> {
    if (enrichments.length === 0) return;
    await this.#pool.query(SAVE_ENRICHMENTS, [
      enrichments.map((entry) => entry.id),
      enrichments.map((entry) => JSON.stringify(entry.enrichment)),
    ]);
  }

  async prune(before: number): Promise<number> {
    const result = await this.#pool.query(`DELETE FROM alerts WHERE ends_at < $1 AND NOT ${OPEN}`, [before]);
    return result.rowCount ?? 0;
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection that could not even roll back is destroyed rather than returned to the pool.
      client.release(broken);
    }
  }
}

async function affectedChecks(client: pg.Pool | pg.PoolClient, alertname: string, cap: number): Promise<number> {
  const { rows } = await client.query<{ count: number }>(AFFECTED_CHECKS, [alertname, cap]);
  return rows[0]?.count ?? 0;
}

/** Writes a planned change; `before` is the row the planner saw, so rewriting it only sets what changed. */
async function apply<Outcome extends string>(
  client: pg.PoolClient,
  change: AlertChange<Outcome>,
  before: AlertRow | undefined,
  checks: AffectedChecks,
): Promise<AppliedChange<Outcome>> {
  for (const alert of change.writes) {
    const row = alertRow(alert);
    if (before?.id !== row.id) {
      await client.query(UPSERT, alertValues(row));
      continue;
    }
    checks.rewritten(alert, isOpen(before.state as AlertState));
    // Compared as written, not as read: PostgreSQL hands BIGINT back as strings.
    const columns = changedColumns(alertRow(alertFromRow(before)), row);
    if (columns.length === 0) continue;
    const assignments = columns.map((column, index) => `${column} = $${index + 2}`).join(', ');
    await client.query(`UPDATE alerts SET ${assignments} WHERE id = $1`, [row.id, ...columns.map((column) => row[column])]);
  }
  const events: AlertEvent[] = [];
  for (const event of change.events) {
    const { rows } = await client.query<{ id: string }>(INSERT_EVENT, eventValues(event, (value) => value));
    events.push({ id: Number(rows[0]?.id), ...event });
  }
  return { outcome: change.outcome, alerts: change.writes, events };
}
