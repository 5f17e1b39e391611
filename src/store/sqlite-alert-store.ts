// The alert store on the embedded SQLite database, sharing the Store's connection: its queries here, its writes on
// the shared write loop (sqlite-alert-dialect.ts runs it). better-sqlite3 is synchronous, so a notification's reads,
// decisions and writes run in one immediate transaction that no other request can enter; in WAL mode with
// synchronous=NORMAL a commit survives the process being killed (the WAL is in the OS's hands once written) and only
// an OS crash or power cut can lose the last transactions.

import type Database from 'better-sqlite3';
import { type AlertEventRow, type AlertRow, OPEN_SQL, alertFromRow, eventFromRow } from './alert-rows.js';
import type { AlertEnrichment, AlertEvent, AlertRecord, AlertState } from '../model/alert.js';
import type { AlertCount, AlertQuery, AlertStore, OutboxRetention } from './alert-store.js';
import { isOpen } from '../model/alert.js';
import { AlertWrites } from './alert-write-loop.js';
import { SqliteAlertDialect, sqliteAffectedChecks } from './sqlite-alert-dialect.js';
import { deleteInChunks } from './sqlite-chunked-delete.js';

const PRUNE_CHUNK = 1_000;

function prepareStatements(db: Database.Database) {
  return {
    get: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?'),
    events: db.prepare<[string], AlertEventRow>('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY id'),
    list: db.prepare<[ListParameters], AlertRow>(
      `SELECT * FROM alerts
       WHERE (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
         AND (@severity IS NULL OR severity = @severity)
         AND (@checkId IS NULL OR check_id = @checkId)
         AND (@since IS NULL OR starts_at >= @since)
         AND (@beforeStartsAt IS NULL OR starts_at < @beforeStartsAt OR (starts_at = @beforeStartsAt AND id < @beforeId))
       ORDER BY starts_at DESC, id DESC
       LIMIT @limit`,
    ),
    startedBetween: db.prepare<[number, number, number], AlertRow>(
      'SELECT * FROM alerts WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, id LIMIT ?',
    ),
    counts: db.prepare<[{ states: string | null }], AlertCount>(
      `SELECT state, severity, alertname, COUNT(*) AS count FROM alerts
       WHERE @states IS NULL OR state IN (SELECT value FROM json_each(@states))
       GROUP BY state, severity, alertname ORDER BY state, severity, alertname`,
    ),
    // Naming the open states lets SQLite scan a partial index over the open alerts, not the whole history.
    openCounts: db.prepare<[{ states: string }], AlertCount>(
      `SELECT state, severity, alertname, COUNT(*) AS count FROM alerts
       WHERE ${OPEN_SQL} AND state IN (SELECT value FROM json_each(@states))
       GROUP BY state, severity, alertname ORDER BY state, severity, alertname`,
    ),
    affectedChecks: sqliteAffectedChecks(db),
    dueForTimeout: db.prepare<[number, number, number], AlertRow>(
      // Each side is a range search on its partial index (migration 5).
      `SELECT * FROM alerts
       WHERE (state IN ('active', 'acknowledged') AND last_seen_at < ?) OR (state = 'suppressed' AND suppressed_until <= ?)
       LIMIT ?`,
    ),
    pendingEnrichment: db.prepare<[number], AlertRow>(
      'SELECT * FROM alerts WHERE enrichment IS NULL ORDER BY first_seen_at LIMIT ?',
    ),
    saveEnrichment: db.prepare<[string, string]>('UPDATE alerts SET enrichment = ? WHERE id = ?'),
    pruneChunk: db.prepare<[number, number]>(
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE ends_at < ? AND NOT ${OPEN_SQL} LIMIT ?)`,
    ),
  };
}

interface ListParameters {
  states: string | null;
  severity: string | null;
  checkId: string | null;
  since: number | null;
  beforeStartsAt: number | null;
  beforeId: string | null;
  limit: number;
}

export class SqliteAlertStore extends AlertWrites implements AlertStore {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #outbox: OutboxRetention;

  /** `db` must be migrated: the Store that owns it does that at open. */
  constructor(db: Database.Database, outbox: OutboxRetention) {
    super(new SqliteAlertDialect(db));
    this.#db = db;
    this.#statements = prepareStatements(db);
    this.#outbox = outbox;
  }

  async get(id: string): Promise<AlertRecord | undefined> {
    const row = this.#statements.get.get(id);
    return row === undefined ? undefined : alertFromRow(row);
  }

  async events(alertId: string): Promise<AlertEvent[]> {
    return this.#statements.events.all(alertId).map(eventFromRow);
  }

  async list(query: AlertQuery): Promise<AlertRecord[]> {
    const rows = this.#statements.list.all({
      states: query.states === undefined ? null : JSON.stringify(query.states),
      severity: query.severity ?? null,
      checkId: query.checkId ?? null,
      since: query.since ?? null,
      beforeStartsAt: query.before?.startsAt ?? null,
      beforeId: query.before?.id ?? null,
      limit: query.limit,
    });
    return rows.map(alertFromRow);
  }

  async startedBetween(from: number, to: number, limit: number): Promise<AlertRecord[]> {
    return this.#statements.startedBetween.all(from, to, limit).map(alertFromRow);
  }

  async counts(states?: readonly AlertState[]): Promise<AlertCount[]> {
    if (states === undefined) return this.#statements.counts.all({ states: null });
    const statement = states.every(isOpen) ? this.#statements.openCounts : this.#statements.counts;
    return statement.all({ states: JSON.stringify(states) });
  }

  async affectedChecks(alertname: string, cap: number): Promise<number> {
    return this.#statements.affectedChecks.get(alertname, cap) ?? 0;
  }

  async dueForTimeout(lastSeenBefore: number, suppressedUntil: number, limit: number): Promise<AlertRecord[]> {
    return this.#statements.dueForTimeout.all(lastSeenBefore, suppressedUntil, limit).map(alertFromRow);
  }

  async pendingEnrichment(limit: number): Promise<AlertRecord[]> {
    return this.#statements.pendingEnrichment.all(limit).map(alertFromRow);
  }

  async saveEnrichments(enrichments: ReadonlyArray<{ id: string; enrichment: AlertEnrichment }>): Promise<void> {
    const { saveEnrichment } = this.#statements;
    this.#db.transaction(() => {
      for (const { id, enrichment } of enrichments) saveEnrichment.run(JSON.stringify(enrichment), id);
    })();
  }

  async prune(before: number): Promise<number> {
    const deleted = await deleteInChunks(this.#statements.pruneChunk, [before], PRUNE_CHUNK);
    await this.#outbox.prune(before);
    return deleted;
  }
}
