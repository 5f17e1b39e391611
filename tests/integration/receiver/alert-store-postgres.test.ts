// The alert store and outbox contracts on a real PostgreSQL server (Debian's postgresql): one server for the file, a
// database per test; a second "replica" is a second pool on the same database.

import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres-store.js';
import type { Store } from '../../../src/store/store.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { type AlertStoreHarness, registerAlertStoreContract } from './alert-store-contract.js';
import { registerOutboxStoreContract } from './outbox-store-contract.js';

let server: PostgresServer;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

const harness: AlertStoreHarness = {
  backend: 'postgres',
  async create() {
    databases += 1;
    const name = `alert_store_${databases}`;
    const database = await server.createDatabase(name);
    const url = database.url;
    const opened: Store[] = [];
    return {
      async open() {
        const store = await PostgresStore.open(url, { poolSize: 3 });
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

registerAlertStoreContract(harness);
registerOutboxStoreContract(harness);
