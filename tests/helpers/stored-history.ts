// A prober's history written into a real SQLite store the way the prober writes it: results at a fixed spacing,
// each shaped by the test (a healthy probe otherwise), and the incidents the prober's own incident tracker derives
// from those outside maintenance. For commands that read a stopped or running Vigil's store.

import path from 'node:path';
import { IncidentTracker } from '../../src/results/incident-tracker.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store, StoredResult } from '../../src/store/store.js';

export type ResultShape = Partial<StoredResult> | undefined;

/** Results of one check every `spacingMs` over [from, to), each shaped by `shape` (undefined: a healthy probe). */
export function probeHistory(
  checkId: string,
  from: number,
  to: number,
  spacingMs: number,
  shape: (at: number, index: number) => ResultShape = () => undefined,
): StoredResult[] {
  const results: StoredResult[] = [];
  let failures = 0;
  for (let at = from, index = 0; at < to; at += spacingMs, index += 1) {
    const overrides = shape(at, index) ?? {};
    failures = overrides.status === 'down' ? failures + 1 : 0;
    results.push({
      checkId,
      status: 'healthy',
      message: 'HTTP 200',
      startedAt: at,
      finishedAt: at + Math.round(overrides.durationMs ?? 42),
      durationMs: 42,
      phases: { dns: 1, connect: 2, processing: 32, transfer: 7 },
      consecutiveFailures: failures,
      inMaintenance: false,
      ...overrides,
    });
  }
  return results;
}

/** Creates the data directory's store (`vigil.db`, the default path) and writes the results and their incidents. */
export async function seedStore(dataDir: string, results: readonly StoredResult[]): Promise<void> {
  const store = await SqliteStore.open(path.join(dataDir, 'vigil.db'));
  try {
    await seedResults(store, results);
  } finally {
    await store.close();
  }
}

/** Writes the results and the incidents the prober's tracker derives from those outside maintenance. */
export async function seedResults(store: Store, results: readonly StoredResult[]): Promise<void> {
  const ordered = [...results].sort((a, b) => a.startedAt - b.startedAt || (a.checkId < b.checkId ? -1 : 1));
  await store.insertResults(ordered);
  let ids = 0;
  const tracker = new IncidentTracker({ newId: () => `incident-${(ids += 1)}` });
  for (const incident of tracker.observe(ordered.filter((result) => !result.inMaintenance))) {
    await store.saveIncident(incident);
  }
}
