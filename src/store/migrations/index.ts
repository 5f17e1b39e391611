// The ordered list of schema migrations both store backends apply at open. Each migration carries its SQL for SQLite
// and for PostgreSQL side by side, so a schema change is one new file here and one new entry in MIGRATIONS; the
// stores record what they applied in `schema_migrations(version, name, applied_at)`.

import { coreTables } from './001-core-tables.js';
import { alertTables } from './002-alerts.js';
import { alertOpenChecks } from './003-alert-open-checks.js';
import { alertOpenScans } from './004-alert-open-scans.js';
import { alertDueIndexes } from './005-alert-due-indexes.js';
import { resultsStatusIndex } from './006-results-status-index.js';
import { outboxTables } from './007-outbox.js';
import { pushHeartbeats } from './008-push-heartbeats.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  coreTables,
  alertTables,
  alertOpenChecks,
  alertOpenScans,
  alertDueIndexes,
  resultsStatusIndex,
  outboxTables,
  pushHeartbeats,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

// A gap or a duplicate would make "applied up to N" ambiguous: refuse it at load rather than half-migrate a database.
MIGRATIONS.forEach((migration, index) => {
  if (migration.version !== index + 1) {
    throw new Error(`migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`);
  }
});

/** The migrations a database at `appliedVersion` still needs; refuses a database newer than this code. */
export function pendingMigrations(appliedVersion: number): readonly Migration[] {
  if (appliedVersion > LATEST_SCHEMA_VERSION) {
    throw new Error(
      `the database schema is at version ${appliedVersion}, newer than this Vigil knows (${LATEST_SCHEMA_VERSION}): ` +
        'upgrade Vigil rather than run an older release against it',
    );
  }
  return MIGRATIONS.slice(appliedVersion);
}
