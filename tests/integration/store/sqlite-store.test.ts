// The shared store suite against SQLite: a new database file in a temporary directory per test. Result writes are
// made to fail the way they would in production: another connection holds the write lock past the busy timeout.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { registerStoreContract } from './store-contract.js';
import type { StoreFixture } from './store-harness.js';

/** Short, so a blocked write fails quickly: better-sqlite3 waits for the lock synchronously. */
const BUSY_TIMEOUT_MS = 100;

async function createFixture(): Promise<StoreFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-store-'));
  // A directory that does not exist yet: opening creates it.
  const file = path.join(dir, 'data', 'vigil.db');
  const opened: Store[] = [];
  const withConnection = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    async open() {
      const store = await SqliteStore.open(file, { busyTimeoutMs: BUSY_TIMEOUT_MS });
      opened.push(store);
      return store;
    },
    // better-sqlite3 is synchronous: these answer with settled promises to fit the fixture's interface.
    query(sql) {
      return Promise.resolve(
        withConnection((db) => {
          const statement = db.prepare(sql);
          if (!statement.reader) {
            statement.run();
            return [];
          }
          return statement.all() as Array<Record<string, unknown>>;
        }),
      );
    },
    plan(sql, values) {
      return Promise.resolve(
        withConnection((db) =>
          (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>)
            .map((step) => step.detail)
            .join('\n'),
        ),
      );
    },
    blockResultWrites() {
      const holder = new Database(file);
      holder.exec('BEGIN IMMEDIATE');
      const unblock = (): Promise<void> => {
        holder.exec('ROLLBACK');
        holder.close();
        return Promise.resolve();
      };
      return Promise.resolve(unblock);
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

registerStoreContract({ backend: 'sqlite', create: createFixture });
