// Migration 8: when each push check was last heard from (a ping, or a result pushed for it). The prober keeps it in
// memory and writes it here on every ping, so a restart resumes each check's deadline where it was instead of
// granting a fresh interval or, worse, judging a check missed that pinged just before the restart. One row per
// check, overwritten: the history of pings is in `results`.

import type { Migration } from './migration.js';

const sqlite = `
CREATE TABLE push_heartbeats (
  check_id TEXT PRIMARY KEY,
  heard_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

const postgres = `
CREATE TABLE push_heartbeats (
  check_id TEXT PRIMARY KEY,
  heard_at BIGINT NOT NULL
);
`;

export const pushHeartbeats: Migration = { version: 8, name: 'push check heartbeats', sqlite, postgres };
