// The alert store and outbox contracts on SQLite: a new database file per test; a second "replica" is a second connection.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { type AlertStoreHarness, registerAlertStoreContract } from './alert-store-contract.js';
import { registerOutboxStoreContract } from './outbox-store-contract.js';

const harness: AlertStoreHarness = {
  backend: 'sqlite',
  async create() {
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-alert-store-'));
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

registerAlertStoreContract(harness);
registerOutboxStoreContract(harness);
