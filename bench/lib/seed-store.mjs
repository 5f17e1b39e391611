// Seeds a prober's SQLite store the way a prober that has already run for a few hours leaves it: rollups up to the
// last complete hour. A store with no rollups at all (the first hour of a new installation) makes every SLA window
// read raw results over its whole length, which costs far more than probing (bench/RESULTS.md, "A new store's first
// SLA refresh"); the benchmarks measure the steady state, so they start from this.

import path from 'node:path';
import { pino } from 'pino';

const HOUR_MS = 3_600_000;

export async function seedSteadyStore(configDir, dataDir) {
  const [{ loadFormatted }, { SqliteStore }, { RollupJob }] = await Promise.all([
    import('../../dist/app.js'),
    import('../../dist/store/sqlite-store.js'),
    import('../../dist/sla/rollup-job.js'),
  ]);
  const loaded = loadFormatted(configDir, {});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const { checks, settings } = loaded.config;
  const store = await SqliteStore.open(path.resolve(dataDir, settings.storage.sqlitePath));
  try {
    const at = Date.now() - 3 * HOUR_MS;
    await store.insertResults([
      {
        checkId: checks[0].id,
        status: 'healthy',
        message: 'seed',
        startedAt: at,
        finishedAt: at + 1,
        durationMs: 1,
        phases: {},
        consecutiveFailures: 0,
        inMaintenance: false,
      },
    ]);
    const job = new RollupJob({ store, checks: () => checks, maintenance: () => [], logger: pino({ level: 'warn' }) });
    await job.runOnce();
  } finally {
    await store.close();
  }
}
