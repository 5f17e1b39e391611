// The alert store on the embedded SQLite database, sharing the Store's connection. better-sqlite3 is synchronous, so
// a notification's reads, decisions and writes run in one immediate transaction that no other request can enter;
// in WAL mode with synchronous=NORMAL a commit survives the process being killed (the WAL is in the OS's hands
// once written) and only an OS crash or power cut can lose the last transactions.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import {
  ALERT_COLUMNS,
  type AlertColumn,
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
import { AffectedChecks } from './affected-checks.js';

const OPEN = `state IN (${OPEN_ALERT_STATES.map((state) => `'${state}'`).join(', ')})`;
/**
 * The newest alert of a fingerprint, straight off the (fingerprint, last_starts_at) index. It is the open one when
 * there is one: the state machine only opens an alert for a firing newer than every stored one, and a refiring only
 * moves the open alert's last start forward.
 */
const LATEST = 'SELECT * FROM alerts WHERE fingerprint = ? ORDER BY last_starts_at DESC LIMIT 1';
const PRUNE_CHUNK = 1_000;

function prepareStatements(db: Database.Database) {
  const assignments = ALERT_COLUMNS.filter((column) => column !== 'id').map((column) => `${column} = excluded.${column}`);
  return {
    latest: db.prepare<[string], AlertRow>(LATEST),
    get: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?'),
    // Bound by position: binding named parameters costs about as much again as the insert's own bookkeeping.
    upsert: db.prepare<unknown[]>(
      `INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${assignments.join(', ')}`,
    ),
    insertEvent: db.prepare<unknown[]>(
      `INSERT INTO alert_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
    ),
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
       WHERE ${OPEN} AND state IN (SELECT value FROM json_each(@states))
       GROUP BY state, severity, alertname ORDER BY state, severity, alertname`,
    ),
    affectedChecks: db.prepare<[string, number], number>(
      `SELECT COUNT(*) FROM (
         SELECT DISTINCT COALESCE(check_id, fingerprint) FROM alerts WHERE alertname = ? AND ${OPEN} LIMIT ?
       )`,
    ).pluck(),
    checkOpen: db.prepare<[string, string], number>(
      `SELECT EXISTS (SELECT 1 FROM alerts WHERE alertname = ? AND COALESCE(check_id, fingerprint) = ? AND ${OPEN})`,
    ).pluck(),
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
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE ends_at < ? AND NOT ${OPEN} LIMIT ?)`,
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

const sqliteBool = (value: boolean): number => (value ? 1 : 0);

export class SqliteAlertStore implements AlertStore {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  /** UPDATE statements by the columns they set: few distinct sets occur (a refresh, a refiring, a close…). */
  readonly #updates = new Map<string, Database.Statement<[AlertRow]>>();
  readonly #affectedChecks = new AffectedChecks();

  /** `db` must be migrated: the Store that owns it does that at open. */
  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  async ingest<Outcome extends string>(
    incoming: readonly IncomingAlert[],
    plan: IngestPlanner<Outcome>,
    enrichment?: IngestEnrichment,
  ): Promise<Array<AppliedChange<Outcome>>> {
    const { latest, affectedChecks, checkOpen } = this.#statements;
    const checks = this.#affectedChecks;
    const ingest = this.#db.transaction(() =>
      incoming.map((alert) => {
        const row = latest.get(alert.fingerprint);
        let change = plan(row === undefined ? undefined : alertFromRow(row), alert);
        if (enrichment !== undefined) {
          const lookups = checks.lookups(change);
          const found = lookups.map(({ name, check, countName }) => ({
            ...(countName ? { count: affectedChecks.get(name, enrichment.affectedChecksCap) ?? 0 } : {}),
            checkOpen: checkOpen.get(name, check) === 1,
          }));
          change = checks.enrich(change, enrichment, lookups, found);
        }
        return this.#apply(change, row);
      }),
    );
    try {
      return ingest.immediate();
    } catch (error) {
      checks.forgetAll();
      throw error;
    }
  }

  async change<Outcome extends string>(
    id: string,
    plan: (current: AlertRecord) => AlertChange<Outcome>,
  ): Promise<AppliedChange<Outcome> | undefined> {
    return this.#db
      .transaction(() => {
        const row = this.#statements.get.get(id);
        return row === undefined ? undefined : this.#apply(plan(alertFromRow(row)), row);
      })
      .immediate();
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
    let deleted = 0;
    for (;;) {
      const changes = this.#statements.pruneChunk.run(before, PRUNE_CHUNK).changes;
      deleted += changes;
      if (changes < PRUNE_CHUNK) return deleted;
      // The driver blocks the event loop while it deletes: let requests run between chunks.
      await yieldToEventLoop();
    }
  }

  /** Writes a planned change; `before` is the row the planner saw, so rewriting it only sets what changed. */
  #apply<Outcome extends string>(change: AlertChange<Outcome>, before: AlertRow | undefined): AppliedChange<Outcome> {
    const { upsert, insertEvent } = this.#statements;
    for (const alert of change.writes) {
      const row = alertRow(alert);
      if (before?.id !== row.id) {
        upsert.run(alertValues(row));
        continue;
      }
      this.#affectedChecks.rewritten(alert, isOpen(before.state as AlertState));
      const columns = changedColumns(before, row);
      if (columns.length > 0) this.#update(columns).run(row);
    }
    const events = change.events.map((event): AlertEvent => {
      const id = Number(insertEvent.run(eventValues(event, sqliteBool)).lastInsertRowid);
      return { id, ...event };
    });
    return { outcome: change.outcome, alerts: change.writes, events };
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
