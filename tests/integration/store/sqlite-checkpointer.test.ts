// The SQLite store's background checkpoint (the receiver's): a thread of its own copies the WAL back into the
// database file while the store writes, so the file alone holds every committed row soon after the writes stop
// (what a copy of it for a backup sees), although the committing connection does not checkpoint before its
// backstop. Closing the store ends the thread first, so the store's own close is the last one and removes the WAL;
// everything written is there after a reopen.

import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES, BackgroundCheckpointer } from '../../../src/store/sqlite-checkpointer.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { StoredResult } from '../../../src/store/store.js';
import { pollUntil } from '../../helpers/wait-for.js';

const PAGE_BYTES = 4096;
const BATCHES = 20;
const PER_BATCH = 2_000;

function results(batch: number): StoredResult[] {
  return Array.from({ length: PER_BATCH }, (_, index) => {
    const startedAt = 1_760_000_000_000 + (batch * PER_BATCH + index) * 1_000;
    return {
      checkId: `check_${index % 500}`,
      status: 'healthy',
      message: `HTTP 200 ${'x'.repeat(200)}`,
      startedAt,
      finishedAt: startedAt + 80,
      durationMs: 80,
      phases: { dns: 1, connect: 2, processing: 75, transfer: 2 },
      consecutiveFailures: 0,
      inMaintenance: false,
    };
  });
}

describe('SQLite store, WAL checkpointed in the background', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-checkpoint-'));
    file = path.join(dir, 'vigil.db');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Rows in a copy of the database file alone, without its WAL; undefined when copied mid-checkpoint (torn). */
  function rowsInFileAlone(): number | undefined {
    const copy = path.join(dir, 'copy.db');
    copyFileSync(file, copy);
    const db = new Database(copy, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CORRUPT') return undefined;
      // Not even the schema has been copied into the file yet.
      if ((error as Error).message.startsWith('no such table')) return 0;
      throw error;
    } finally {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    }
  }

  it('copies every commit into the database file soon after it, and removes the WAL on close', async () => {
    const store = await SqliteStore.open(file, { checkpointInBackground: true });
    for (let batch = 0; batch < BATCHES; batch++) await store.insertResults(results(batch));
    const walPages = statSync(`${file}-wal`).size / PAGE_BYTES;
    // Fewer pages than the backstop: the committing connection has not checkpointed them itself.
    expect(walPages).toBeLessThan(BACKSTOP_PAGES);
    await pollUntil(
      () => rowsInFileAlone() ?? 0,
      (rows) => rows >= BATCHES * PER_BATCH,
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    expect(rowsInFileAlone()).toBe(BATCHES * PER_BATCH);

    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = await SqliteStore.open(file);
    try {
      expect(await reopened.resultsInRange(0, Number.MAX_SAFE_INTEGER)).toHaveLength(BATCHES * PER_BATCH);
    } finally {
      await reopened.close();
    }
  });

  it('refuses to start on a database that is not there, rather than create one', async () => {
    await expect(BackgroundCheckpointer.start({ file: path.join(dir, 'missing.db') })).rejects.toThrow(
      /unable to open/,
    );
    expect(existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });

  it('without it, the commits past the last automatic checkpoint are in the WAL only', async () => {
    const store = await SqliteStore.open(file);
    try {
      for (let batch = 0; batch < BATCHES; batch++) await store.insertResults(results(batch));
      // One more commit, a few pages: the batches alone may end exactly on an automatic checkpoint.
      await store.insertResults(results(BATCHES).slice(0, 1));
      // A fixed wait on purpose: the time a background checkpointer would need to copy these commits (the test above
      // sees it do so in far less); the assertion is that, without one, nothing copies them.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const inFile = rowsInFileAlone() ?? Number.NaN;
      expect(inFile).toBeGreaterThan(0);
      expect(inFile).toBeLessThan(BATCHES * PER_BATCH + 1);
    } finally {
      await store.close();
    }
  });
});
