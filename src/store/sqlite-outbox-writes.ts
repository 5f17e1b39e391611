// The outbox's part of the SQLite write loop: the operations that read and store a group's state and enqueue a
// notification, each a prepared statement run synchronously inside the dialect's immediate transaction.

import type Database from 'better-sqlite3';
import {
  GROUP_COLUMNS,
  type GroupRow,
  NOTIFICATION_COLUMNS,
  enqueuedRows,
  groupFromRow,
  groupValues,
  storedGroupKey,
} from './outbox-rows.js';
import type { SyncOperations } from './alert-write-loop.js';

const placeholders = (columns: readonly string[]): string => columns.map(() => '?').join(', ');

export function sqliteOutboxOperations(
  db: Database.Database,
): Pick<SyncOperations, 'groupState' | 'saveGroup' | 'enqueue'> {
  const groupState = db.prepare<[string], GroupRow>('SELECT * FROM notification_groups WHERE group_key = ?');
  const saveGroup = db.prepare<unknown[]>(
    `INSERT INTO notification_groups (${GROUP_COLUMNS.join(', ')}) VALUES (${placeholders(GROUP_COLUMNS)})
     ON CONFLICT (group_key) DO UPDATE SET ${GROUP_COLUMNS.filter((column) => column !== 'group_key')
       .map((column) => `${column} = excluded.${column}`)
       .join(', ')}`,
  );
  const insertNotification = db.prepare<unknown[]>(
    `INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(', ')}) VALUES (${placeholders(NOTIFICATION_COLUMNS)})`,
  );
  const insertLink = db.prepare<[string, string]>(
    'INSERT INTO notification_alerts (alert_id, notification_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const insertJob = db.prepare<unknown[]>(
    `INSERT INTO outbox_jobs (notification_id, channel, recipient, state, attempts, accepted_at, next_attempt_at, last_error)
     VALUES (?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  return {
    groupState: ({ groupKey }) => {
      const row = groupState.get(storedGroupKey(groupKey));
      return row === undefined ? undefined : groupFromRow(row);
    },
    saveGroup: ({ group }) => void saveGroup.run(groupValues(group)),
    enqueue: ({ planned, acceptedAt }) => {
      const rows = enqueuedRows(planned, acceptedAt);
      insertNotification.run(rows.notification);
      for (const alertId of rows.alertIds) insertLink.run(alertId, planned.id);
      for (const job of rows.jobs) {
        insertJob.run(planned.id, job.channel, job.recipient, job.state, acceptedAt, job.nextAttemptAt, job.lastError);
      }
    },
  };
}
