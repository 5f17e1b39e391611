// openStore as the app calls it with the storage settings: SQLite under the data directory, PostgreSQL from a URL,
// and the errors a user sees when the PostgreSQL setting is missing or wrong, which must never show the password.

import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../../src/store/migrations/index.js';
import { openStore } from '../../../src/store/open-store.js';
import { unusedPort } from '../../helpers/ports.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';

const SECRET = 'Sup3r-secret-pw';

let dataDir: string;

/** The error openStore rejects with for a PostgreSQL URL; fails the test when the store opens instead. */
async function openError(postgresUrl: string): Promise<Error> {
  const opened = await openStore({ backend: 'postgres', sqlitePath: 'vigil.db', postgresUrl }, dataDir).then(
    async (store) => {
      await store.close();
      throw new Error(`expected ${postgresUrl} to be refused`);
    },
    (error: unknown) => error,
  );
  expect(opened).toBeInstanceOf(Error);
  return opened as Error;
}

/** Everything an error would print or log, its own properties included. */
function everythingIn(error: Error): string {
  return JSON.stringify(error, Object.getOwnPropertyNames(error));
}
let server: PostgresServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'vigil-open-store-'));
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('opens SQLite at a path relative to the data directory, creating what is missing', async () => {
    const store = await openStore({ backend: 'sqlite', sqlitePath: 'state/vigil.db' }, path.join(dataDir, 'data'));
    try {
      expect(store.backend).toBe('sqlite');
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      await access(path.join(dataDir, 'data', 'state', 'vigil.db'));
    } finally {
      await store.close();
    }
  });

  it('opens and migrates PostgreSQL from the URL', async () => {
    const store = await openStore({ backend: 'postgres', sqlitePath: 'unused.db', postgresUrl: server.url }, dataDir);
    try {
      expect(store.backend).toBe('postgres');
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      await store.close();
    }
  });

  it('names the setting when PostgreSQL is selected without a URL', async () => {
    await expect(openStore({ backend: 'postgres', sqlitePath: 'vigil.db' }, dataDir)).rejects.toThrow(
      /storage\.postgres_url is not set/,
    );
  });

  it('names the setting and hides the password when the server cannot be reached', async () => {
    const port = await unusedPort();
    const url = `postgres://vigil:${SECRET}@127.0.0.1:${port}/vigil`;

    const error = await openError(url);

    expect(error.message).toContain(
      `storage.postgres_url: cannot open the PostgreSQL store at postgres://vigil:***@127.0.0.1:${port}/vigil`,
    );
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it('hides the password when the server refuses it', async () => {
    const url = `postgres://${server.user}:${SECRET}@${server.host}:${server.port}/${server.database}`;

    const error = await openError(url);

    expect(error.message).toMatch(/storage\.postgres_url: .*password authentication failed/);
    expect(everythingIn(error)).not.toContain(SECRET);
  });
});
