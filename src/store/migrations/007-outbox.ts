// Migration 7: the delivery outbox. The ingest transaction that accepts a webhook notification writes, when it is
// news, the group's new state (`notification_groups`), the notification the channels will render
// (`notifications`, its body JSON text listing its alerts by id: TEXT, not jsonb, because jsonb refuses the escaped
// NUL an untrusted label may hold), a link to every alert it lists (`notification_alerts`, which each alert's delivery log
// reads) and one job per destination (`outbox_jobs`), which the workers then claim under a lease.
//
// Links go with their alert (ON DELETE CASCADE, as alert events do) and jobs with their notification; links carry no
// key to their notification so that the ingest writes one index entry per listed alert, not two. Two partial indexes
// make a claim a range scan per channel: over due pending jobs, and over sending jobs whose lease ran out; with the
// third, over dead jobs, the outbox gauge counts what needs attention without reading the sent jobs.
// Rows stay small: the ingest hot path writes them, a notification of 300 alerts writing 300 links.

import type { Migration } from './migration.js';

const tables = (integer: string, serial: string, table: string, keyed: string): string => `
CREATE TABLE notification_groups (
  group_key TEXT PRIMARY KEY,
  state_key TEXT NOT NULL,
  status TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  notified_at ${integer} NOT NULL,
  firing_since ${integer}
)${keyed};

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  group_key TEXT NOT NULL,
  state_key TEXT NOT NULL,
  accepted_at ${integer} NOT NULL,
  body TEXT NOT NULL
)${table};
CREATE INDEX notifications_accepted ON notifications (accepted_at);
CREATE INDEX notifications_group ON notifications (group_key);

CREATE TABLE notification_alerts (
  alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  notification_id TEXT NOT NULL,
  PRIMARY KEY (alert_id, notification_id)
)${keyed};

CREATE TABLE outbox_jobs (
  id ${serial},
  notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  recipient TEXT,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  accepted_at ${integer} NOT NULL,
  next_attempt_at ${integer},
  lease_until ${integer},
  last_error TEXT,
  sent_at ${integer},
  provider_id TEXT
)${table};
CREATE INDEX outbox_jobs_notification ON outbox_jobs (notification_id);
CREATE INDEX outbox_jobs_due ON outbox_jobs (channel, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_jobs_leased ON outbox_jobs (channel, lease_until) WHERE state = 'sending';
CREATE INDEX outbox_jobs_dead ON outbox_jobs (channel) WHERE state = 'dead';
`;

// AUTOINCREMENT: a job id the delivery log has shown is never handed to another job after pruning.
const sqlite = tables('INTEGER', 'INTEGER PRIMARY KEY AUTOINCREMENT', ' STRICT', ' STRICT, WITHOUT ROWID');
const postgres = tables('BIGINT', 'BIGSERIAL PRIMARY KEY', '', '');

export const outboxTables: Migration = { version: 7, name: 'delivery outbox', sqlite, postgres };
