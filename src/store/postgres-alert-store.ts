// The alert store on PostgreSQL, sharing the Store's pool: its queries here, its writes on the shared write loop
// (postgres-alert-dialect.ts runs it, locking what several replicas might decide on at once). Every query is
// parameterised.

import type pg from 'pg';
import { type AlertEventRow, type AlertRow, OPEN_SQL, alertFromRow, eventFromRow } from './alert-rows.js';
import type { AlertEnrichment, AlertEvent, AlertRecord, AlertState } from '../model/alert.js';
import type { AlertCount, AlertQuery, AlertStore, OutboxRetention } from './alert-store.js';
import { isOpen } from '../model/alert.js';
import { AlertWrites } from './alert-write-loop.js';
import { AFFECTED_CHECKS, PostgresAlertDialect } from './postgres-alert-dialect.js';

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
WHERE ${OPEN_SQL} AND state = ANY($1::text[])
GROUP BY state, severity, alertname ORDER BY state, severity, alertname`;

/** Each side is a range search on its partial index (migration 5). */
const DUE_FOR_TIMEOUT = `
SELECT * FROM alerts
WHERE (state IN ('active', 'acknowledged') AND last_seen_at < $1) OR (state = 'suppressed' AND suppressed_until <= $2)
LIMIT $3`;

const SAVE_ENRICHMENTS = `
UPDATE alerts SET enrichment = given.enrichment
FROM unnest($1::text[], $2::text[]) AS given(id, enrichment) WHERE alerts.id = given.id`;

export class PostgresAlertStore extends AlertWrites implements AlertStore {
  readonly #pool: pg.Pool;
  readonly #outbox: OutboxRetention;

  /** `pool` must reach a migrated database: the Store that owns it does that at open. */
  constructor(pool: pg.Pool, outbox: OutboxRetention) {
    super(new PostgresAlertDialect(pool));
    this.#pool = pool;
    this.#outbox = outbox;
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
    const { rows } = await this.#pool.query<{ count: number }>(AFFECTED_CHECKS, [alertname, cap]);
    return rows[0]?.count ?? 0;
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
    const result = await this.#pool.query(`DELETE FROM alerts WHERE ends_at < $1 AND NOT ${OPEN_SQL}`, [before]);
    await this.#outbox.prune(before);
    return result.rowCount ?? 0;
  }
}
