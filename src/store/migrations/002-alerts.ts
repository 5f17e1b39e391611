// Migration 2: the receiver's alerts and their event history.
//
// `alerts` holds one row per alert episode, keyed by a stable random id that later tables (deliveries, the outbox)
// reference. `fingerprint` is Alertmanager's identity of the label set; at most one alert per fingerprint is open
// (active, acknowledged or suppressed) at a time, which the partial unique index enforces even across replicas.
// `alert_events` is the append-only history of each alert: every notification that changed it and every lifecycle
// action, with `notify` marking the events people should hear about; a delivery table joins it by event id.
// Labels, annotations and enrichment are JSON text (not jsonb) so both backends store them byte for byte alike.

import type { Migration } from './migration.js';

const OPEN = "state IN ('active', 'acknowledged', 'suppressed')";

const columns = (integer: string, text: string): string => `
  id TEXT PRIMARY KEY,
  fingerprint ${text} NOT NULL,
  state TEXT NOT NULL,
  alertname ${text} NOT NULL,
  severity ${text} NOT NULL,
  check_id ${text},
  labels TEXT NOT NULL,
  annotations TEXT NOT NULL,
  generator_url TEXT,
  receiver TEXT,
  group_key TEXT,
  external_url TEXT,
  starts_at ${integer} NOT NULL,
  last_starts_at ${integer} NOT NULL,
  ends_at ${integer},
  duration_ms ${integer},
  first_seen_at ${integer} NOT NULL,
  last_seen_at ${integer} NOT NULL,
  notification_count INTEGER NOT NULL,
  acknowledged_at ${integer},
  acknowledged_by TEXT,
  acknowledged_note TEXT,
  resolved_at ${integer},
  resolved_by TEXT,
  resolved_note TEXT,
  suppressed_at ${integer},
  suppressed_by TEXT,
  suppressed_note TEXT,
  suppressed_until ${integer},
  silence_id TEXT,
  enrichment TEXT,
  updated_at ${integer} NOT NULL`;

const indexes = `
CREATE UNIQUE INDEX alerts_open_fingerprint ON alerts (fingerprint) WHERE ${OPEN};
CREATE INDEX alerts_fingerprint_starts ON alerts (fingerprint, last_starts_at);
CREATE INDEX alerts_starts ON alerts (starts_at, id);
CREATE INDEX alerts_state ON alerts (state);
CREATE INDEX alerts_alertname_open ON alerts (alertname) WHERE ${OPEN};
CREATE INDEX alerts_enrichment_pending ON alerts (first_seen_at) WHERE enrichment IS NULL;
CREATE INDEX alerts_ends ON alerts (ends_at);
CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
`;

const sqlite = `
CREATE TABLE alerts (${columns('INTEGER', 'TEXT')}
) STRICT;

CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  actor TEXT,
  note TEXT,
  notify INTEGER NOT NULL,
  detail TEXT NOT NULL
) STRICT;
${indexes}`;

const postgres = `
CREATE TABLE alerts (${columns('BIGINT', 'TEXT COLLATE "C"')}
);

CREATE TABLE alert_events (
  id BIGSERIAL PRIMARY KEY,
  alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  actor TEXT,
  note TEXT,
  notify BOOLEAN NOT NULL,
  detail TEXT NOT NULL
);
${indexes}`;

export const alertTables: Migration = { version: 2, name: 'alerts and alert events', sqlite, postgres };
