// Migration 4: two fewer indexes written with every new alert. `alerts_state` is gone: the queries that read by state
// (the receiver's /metrics counts of open alerts, the timeout job) read only open alerts and name the open
// states, so they scan a partial index over the open alerts instead, whose size does not grow with history (the
// timeout job got range indexes of its own in migration 5).
// `alerts_ends` serves only pruning, which reads closed alerts, so it holds only alerts that have an end.

import type { Migration } from './migration.js';

const both = `
DROP INDEX alerts_state;
DROP INDEX alerts_ends;
CREATE INDEX alerts_ends ON alerts (ends_at) WHERE ends_at IS NOT NULL;
`;

export const alertOpenScans: Migration = {
  version: 4,
  name: 'open alerts read through partial indexes',
  sqlite: both,
  postgres: both,
};
