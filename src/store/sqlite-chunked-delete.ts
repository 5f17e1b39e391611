// Big deletes on SQLite, cut into chunks: better-sqlite3 blocks the event loop while a statement runs, so retention
// deletes a bounded number of rows per statement and lets probes, flushes and HTTP requests run between chunks.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';

/**
 * Runs `statement`, a DELETE whose last parameter is its LIMIT, with `chunk` rows at a time until it deletes fewer;
 * returns how many rows it deleted in all.
 */
export async function deleteInChunks<Parameters extends unknown[]>(
  statement: Database.Statement<[...Parameters, number]>,
  parameters: Parameters,
  chunk: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const changes = statement.run(...parameters, chunk).changes;
    deleted += changes;
    if (changes < chunk) return deleted;
    await yieldToEventLoop();
  }
}
