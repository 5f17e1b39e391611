// What the SLA suites need from a store backend: a fresh database per test and stores opened on it, again after a
// close (a restart). SQLite: a file in a temporary directory. PostgreSQL: a database per test on a server of its own.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostgresStore } from '../../../src/store/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';

export interface SlaFixture {
  /** Opens a store on this test's database; call again after closing it to see what survived. */
  open(): Promise<Store>;
  /** Closes every store it opened and removes the database. */
  dispose(): Promise<void>;
}

export interface SlaHarness {
  backend: Store['backend'];
  create(): Promise<SlaFixture>;
  /** Before the suite, after the suite. */
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

export const sqliteHarness: SlaHarness = {
  backend: 'sqlite',
  async create() {
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-sla-'));
    const opened: Store[] = [];
    return {
      async open() {
        const store = await SqliteStore.open(path.join(dir, 'vigil.db'));
        opened.push(store);
        return store;
      },
      async dispose() {
        await Promise.all(opened.map((store) => store.close()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

export function postgresHarness(): SlaHarness {
  let server: PostgresServer | undefined;
  let databases = 0;
  return {
    backend: 'postgres',
    async setUp() {
      server = await startPostgres();
    },
    async tearDown() {
      await server?.stop();
    },
    async create() {
      const running = server;
      if (!running) throw new Error('postgres harness used before setUp');
      databases += 1;
      const name = `sla_test_${databases}`;
      const database = await running.createDatabase(name);
      const url = database.url;
      const opened: Store[] = [];
      return {
        async open() {
          const store = await PostgresStore.open(url, { poolSize: 2 });
          opened.push(store);
          return store;
        },
        async dispose() {
          await Promise.all(opened.map((store) => store.close()));
          await database.drop();
        },
      };
    },
  };
}
