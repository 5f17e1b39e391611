// Migration 1: raw results, incidents, hourly/daily rollups and how far rollups have got.
// Times are Unix milliseconds (BIGINT), durations DOUBLE PRECISION. SQLite tables are STRICT so both backends refuse
// the same wrongly typed values; PostgreSQL compares check ids byte-wise (COLLATE "C") as SQLite does, so both order
// checks alike whatever the database's locale. results has no key: two replicas may legitimately store the same
// check's run twice, and nothing reads results by identity.

import type { Migration } from './migration.js';

const sqlite = `
CREATE TABLE results (
  check_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  message TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  phases TEXT NOT NULL,
  http_status INTEGER,
  cert_expires_at INTEGER,
  consecutive_failures INTEGER NOT NULL,
  in_maintenance INTEGER NOT NULL
) STRICT;
CREATE INDEX results_check_started ON results (check_id, started_at);
CREATE INDEX results_started ON results (started_at);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  check_id TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  first_reason TEXT NOT NULL,
  first_message TEXT NOT NULL,
  last_message TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL
) STRICT;
CREATE INDEX incidents_check_opened ON incidents (check_id, opened_at);
CREATE INDEX incidents_closed ON incidents (closed_at);

CREATE TABLE rollups (
  check_id TEXT NOT NULL,
  resolution TEXT NOT NULL,
  bucket_start INTEGER NOT NULL,
  up_ms REAL NOT NULL,
  degraded_ms REAL NOT NULL,
  down_ms REAL NOT NULL,
  maintenance_ms REAL NOT NULL,
  unknown_ms REAL NOT NULL,
  checks_total INTEGER NOT NULL,
  checks_success INTEGER NOT NULL,
  checks_failed INTEGER NOT NULL,
  PRIMARY KEY (check_id, resolution, bucket_start)
) STRICT, WITHOUT ROWID;
CREATE INDEX rollups_resolution_bucket ON rollups (resolution, bucket_start);

CREATE TABLE rollup_state (
  resolution TEXT PRIMARY KEY,
  rolled_up_to INTEGER NOT NULL
) STRICT;
`;

const postgres = `
CREATE TABLE results (
  check_id TEXT COLLATE "C" NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  message TEXT NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL,
  phases TEXT NOT NULL,
  http_status INTEGER,
  cert_expires_at BIGINT,
  consecutive_failures INTEGER NOT NULL,
  in_maintenance BOOLEAN NOT NULL
);
CREATE INDEX results_check_started ON results (check_id, started_at);
CREATE INDEX results_started ON results (started_at);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  check_id TEXT COLLATE "C" NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  first_reason TEXT NOT NULL,
  first_message TEXT NOT NULL,
  last_message TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_failure_at BIGINT NOT NULL
);
CREATE INDEX incidents_check_opened ON incidents (check_id, opened_at);
CREATE INDEX incidents_closed ON incidents (closed_at);

CREATE TABLE rollups (
  check_id TEXT COLLATE "C" NOT NULL,
  resolution TEXT NOT NULL,
  bucket_start BIGINT NOT NULL,
  up_ms DOUBLE PRECISION NOT NULL,
  degraded_ms DOUBLE PRECISION NOT NULL,
  down_ms DOUBLE PRECISION NOT NULL,
  maintenance_ms DOUBLE PRECISION NOT NULL,
  unknown_ms DOUBLE PRECISION NOT NULL,
  checks_total INTEGER NOT NULL,
  checks_success INTEGER NOT NULL,
  checks_failed INTEGER NOT NULL,
  PRIMARY KEY (check_id, resolution, bucket_start)
);
CREATE INDEX rollups_resolution_bucket ON rollups (resolution, bucket_start);

CREATE TABLE rollup_state (
  resolution TEXT PRIMARY KEY,
  rolled_up_to BIGINT NOT NULL
);
`;

export const coreTables: Migration = { version: 1, name: 'results, incidents and rollups', sqlite, postgres };
