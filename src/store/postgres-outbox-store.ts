// The outbox on PostgreSQL, sharing the Store's pool: the worker's side of the jobs the ingest transaction writes
// (postgres-outbox-writes.ts). Several receivers may share the database: a claim locks the rows it takes with
// FOR UPDATE SKIP LOCKED, so two claims never return the same job and neither waits for the other.

import type pg from 'pg';
import {
  type ClaimedDelivery,
  type DeliveryRecord,
  type DeliveryResult,
  LIVE_DELIVERY_STATES,
} from '../model/delivery.js';
import type { OutboxCount, OutboxStore } from './outbox-store.js';
import {
  type ClaimedRow,
  FINISHED_STATES,
  type JobRow,
  claimedBodies,
  claimedDeliveries,
  deliveryFromRow,
  finishedJob,
} from './outbox-rows.js';
import type { AlertRow } from './alert-rows.js';

/**
 * Due pending jobs and sending ones whose lease ran out, earliest due first, taken in one statement; each side reads
 * its partial index in order and stops at the limit, so a backlog does not slow a claim. A job another claim has just
 * taken is skipped while it is locked, and no longer matches once that claim committed.
 */
const CLAIM = `
WITH pending AS (
  SELECT id, next_attempt_at AS due FROM outbox_jobs
  WHERE channel = $1 AND state = 'pending' AND next_attempt_at <= $2
  ORDER BY next_attempt_at LIMIT $4
  FOR UPDATE SKIP LOCKED
), expired AS (
  SELECT id, lease_until AS due FROM outbox_jobs
  WHERE channel = $1 AND state = 'sending' AND lease_until <= $2
  ORDER BY lease_until LIMIT $4
  FOR UPDATE SKIP LOCKED
), due AS (
  SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) AS candidates ORDER BY due, id LIMIT $4
)
UPDATE outbox_jobs AS jobs SET state = 'sending', lease_until = $3, attempts = jobs.attempts + 1,
  next_attempt_at = NULL
FROM due, notifications
WHERE jobs.id = due.id AND notifications.id = jobs.notification_id
RETURNING jobs.id, jobs.attempts, jobs.channel, jobs.recipient, jobs.accepted_at, notifications.body`;

const FINISH = `
UPDATE outbox_jobs SET state = $3, next_attempt_at = $4, lease_until = NULL, last_error = COALESCE($5, last_error),
  sent_at = $6, provider_id = $7
WHERE id = $1 AND attempts = $2 AND state = 'sending'`;

const NEXT_DUE = `
SELECT LEAST(
  (SELECT MIN(next_attempt_at) FROM outbox_jobs WHERE channel = $1 AND state = 'pending'),
  (SELECT MIN(lease_until) FROM outbox_jobs WHERE channel = $1 AND state = 'sending')
) AS due`;

/** One partial index each: the gauge never reads the sent jobs. */
const COUNTS = `${LIVE_DELIVERY_STATES.map(
  (state) =>
    `SELECT channel, '${state}' AS state, COUNT(*)::integer AS count FROM outbox_jobs WHERE state = '${state}' GROUP BY channel`,
).join('\nUNION ALL\n')}\nORDER BY channel, state`;

const DELIVERIES_OF = `
SELECT jobs.* FROM notification_alerts AS links
JOIN outbox_jobs AS jobs ON jobs.notification_id = links.notification_id
WHERE links.alert_id = $1 ORDER BY jobs.accepted_at, jobs.id`;

/** See the SQLite outbox: finished notifications before the cutoff (their jobs cascade), then forgotten groups. */
const PRUNE_NOTIFICATIONS = `
DELETE FROM notifications WHERE accepted_at < $1 AND NOT EXISTS (
  SELECT 1 FROM outbox_jobs WHERE notification_id = notifications.id AND state <> ALL($2::text[])
)`;

const PRUNE_GROUPS = `
DELETE FROM notification_groups WHERE status = 'resolved' AND notified_at < $1 AND NOT EXISTS (
  SELECT 1 FROM notifications WHERE group_key = notification_groups.group_key
)`;

export class PostgresOutboxStore implements OutboxStore {
  readonly #pool: pg.Pool;

  /** `pool` must reach a migrated database: the Store that owns it does that at open. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async claim(channel: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.#pool.query<ClaimedRow>(CLAIM, [channel, now, now + leaseMs, limit]);
    if (rows.length === 0) return [];
    const bodies = claimedBodies(rows);
    // After the claim's commit, so that it holds its locks no longer: an alert deleted in between (only retention
    // deletes alerts, long closed ones) is left out of the message, as it would be a moment later.
    const alerts =
      bodies.alertIds.length === 0
        ? []
        : (await this.#pool.query<AlertRow>('SELECT * FROM alerts WHERE id = ANY($1::text[])', [bodies.alertIds])).rows;
    return claimedDeliveries(bodies, alerts);
  }

  async finish(id: number, attempt: number, result: DeliveryResult): Promise<boolean> {
    const job = finishedJob(result);
    const { rowCount } = await this.#pool.query(FINISH, [
      id,
      attempt,
      job.state,
      job.nextAttemptAt,
      job.lastError,
      job.sentAt,
      job.providerId,
    ]);
    return rowCount === 1;
  }

  async nextDue(channel: string): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ due: string | null }>(NEXT_DUE, [channel]);
    const due = rows[0]?.due;
    return due === null || due === undefined ? undefined : Number(due);
  }

  async counts(): Promise<OutboxCount[]> {
    const { rows } = await this.#pool.query<OutboxCount>(COUNTS);
    return rows;
  }

  async deliveriesOf(alertId: string): Promise<DeliveryRecord[]> {
    const { rows } = await this.#pool.query<JobRow>(DELIVERIES_OF, [alertId]);
    return rows.map(deliveryFromRow);
  }

  /** As SqliteOutboxStore.prune, in one statement each. */
  async prune(before: number): Promise<number> {
    const { rowCount } = await this.#pool.query(PRUNE_NOTIFICATIONS, [before, FINISHED_STATES]);
    await this.#pool.query(PRUNE_GROUPS, [before]);
    return rowCount ?? 0;
  }
}
