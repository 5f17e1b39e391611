// Migration 3: the index behind "how many checks have an open alert of this name", which ingest asks inside its
// transaction to enrich each new alert as it writes it. It replaces the index on the open alerts' names with one
// that also holds the check each counts under (its check label, or its fingerprint), so the count reads the index
// alone and "is this check already open?" is one lookup, instead of a table row per open alert.

import type { Migration } from './migration.js';

const OPEN = "state IN ('active', 'acknowledged', 'suppressed')";

const sqlite = `
DROP INDEX alerts_alertname_open;
CREATE INDEX alerts_open_checks ON alerts (alertname, COALESCE(check_id, fingerprint)) WHERE ${OPEN};
`;

const postgres = `
DROP INDEX alerts_alertname_open;
CREATE INDEX alerts_open_checks ON alerts (alertname, (COALESCE(check_id, fingerprint))) WHERE ${OPEN};
`;

export const alertOpenChecks: Migration = { version: 3, name: 'open checks of an alert name', sqlite, postgres };
