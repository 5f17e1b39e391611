// The shared store suite against a real PostgreSQL server (Debian's postgresql package): one server for the file,
// a new database per test. Result writes are made to fail for real by revoking the INSERT privilege.

import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres-store.js';
import type { Store } from '../../../src/store/store.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { registerStoreContract } from './store-contract.js';
import type { StoreFixture } from './store-harness.js';

let server: PostgresServer;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function asOwner<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createFixture(): Promise<StoreFixture> {
  databases += 1;
  const name = `store_test_${databases}`;
  const database = await server.createDatabase(name);
  const url = database.url;
  const opened: Store[] = [];
  return {
    async open() {
      const store = await PostgresStore.open(url, { poolSize: 2 });
      opened.push(store);
      return store;
    },
    async query(sql) {
      return asOwner(url, async (client) => (await client.query<Record<string, unknown>>(sql)).rows);
    },
    async plan(sql, values) {
      return asOwner(url, async (client) => {
        await client.query('SET enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [...values]);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    },
    async blockResultWrites() {
      await asOwner(url, (client) => client.query(`REVOKE INSERT ON results FROM ${server.user}`));
      return async () => {
        await asOwner(url, (client) => client.query(`GRANT INSERT ON results TO ${server.user}`));
      };
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await database.drop();
    },
  };
}

registerStoreContract({ backend: 'postgres', create: createFixture });
