// The outbox's part of the PostgreSQL write loop: the operations that read and store a group's state and enqueue a
// notification, on the transaction's connection. The dialect has already taken the group's advisory lock, so the
// group's row is read without FOR UPDATE (it may not exist yet) and no other receiver plans the group meanwhile.

import type pg from 'pg';
import {
  GROUP_COLUMNS,
  type GroupRow,
  NOTIFICATION_COLUMNS,
  enqueuedRows,
  groupFromRow,
  groupValues,
  storedGroupKey,
} from './outbox-rows.js';
import type { AsyncOperations } from './alert-write-loop.js';

const SAVE_GROUP = `
INSERT INTO notification_groups (${GROUP_COLUMNS.join(', ')})
VALUES (${GROUP_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
ON CONFLICT (group_key) DO UPDATE SET ${GROUP_COLUMNS.filter((column) => column !== 'group_key')
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(', ')}`;

/**
 * The notification, its links and its jobs in one statement: one round trip on the ingest's hot path. The jobs'
 * foreign key is checked at the statement's end, when the notification is there.
 */
const ENQUEUE = `
WITH notification AS (
  INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(', ')})
  VALUES (${NOTIFICATION_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
), links AS (
  INSERT INTO notification_alerts (alert_id, notification_id)
  SELECT alert_id, $1 FROM unnest($6::text[]) AS alert_ids(alert_id)
)
INSERT INTO outbox_jobs (notification_id, channel, recipient, state, attempts, accepted_at, next_attempt_at, last_error)
SELECT $1, channel, recipient, state, 0, $4, next_attempt_at, last_error
FROM unnest($7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[])
  AS jobs(channel, recipient, state, next_attempt_at, last_error)`;

export function postgresOutboxOperations(
  client: pg.PoolClient,
): Pick<AsyncOperations, 'groupState' | 'saveGroup' | 'enqueue'> {
  return {
    async groupState({ groupKey }) {
      const { rows } = await client.query<GroupRow>('SELECT * FROM notification_groups WHERE group_key = $1', [
        storedGroupKey(groupKey),
      ]);
      return rows[0] === undefined ? undefined : groupFromRow(rows[0]);
    },
    async saveGroup({ group }) {
      await client.query(SAVE_GROUP, groupValues(group));
    },
    async enqueue({ planned, acceptedAt }) {
      const { notification, alertIds, jobs } = enqueuedRows(planned, acceptedAt);
      await client.query(ENQUEUE, [
        ...notification,
        alertIds,
        jobs.map((job) => job.channel),
        jobs.map((job) => job.recipient),
        jobs.map((job) => job.state),
        jobs.map((job) => job.nextAttemptAt),
        jobs.map((job) => job.lastError),
      ]);
    },
  };
}
