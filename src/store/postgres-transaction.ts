// One transaction on a PostgreSQL connection, for everything that writes more than one statement (result batches,
// migrations, the alert write loop): BEGIN, the work, COMMIT, or ROLLBACK when anything threw.

import type pg from 'pg';

/** Runs `work` in a transaction on `client`, then releases it (destroying it when even the rollback failed). */
export async function inTransaction<T>(client: pg.PoolClient, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
