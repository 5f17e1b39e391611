// Picks and opens the configured store backend and brings its schema up to date. Errors name the setting to fix
// and never carry the PostgreSQL password.

import path from 'node:path';
import type { Logger } from 'pino';
import type { StorageSettings } from '../config/types.js';
import { redactSecrets, redactUrl } from '../redact.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  logger?: Logger;
  /** SQLite: checkpoint the WAL in a thread of its own (for the receiver, whose answers wait on commits). */
  checkpointInBackground?: boolean;
}

export async function openStore(
  settings: StorageSettings,
  dataDir: string,
  options: OpenStoreOptions = {},
): Promise<Store> {
  if (settings.backend === 'sqlite') return openSqlite(path.resolve(dataDir, settings.sqlitePath), options);
  return openPostgres(settings.postgresUrl, options.logger);
}

async function openSqlite(file: string, options: OpenStoreOptions): Promise<Store> {
  try {
    return await SqliteStore.open(file, options);
  } catch (error) {
    throw new Error(`storage.sqlite_path: cannot open the SQLite store at ${file}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

async function openPostgres(url: string | undefined, logger: Logger | undefined): Promise<Store> {
  if (url === undefined || url.trim() === '') {
    throw new Error(
      'storage.backend is postgres but storage.postgres_url is not set: set it (or DATABASE_URL) to a ' +
        'postgres:// connection URL',
    );
  }
  try {
    return await PostgresStore.open(url, { logger });
  } catch (error) {
    // No `cause`: the driver's error may hold connection parameters, and a logger would print them.
    // eslint-disable-next-line preserve-caught-error -- the message carries the redacted reason instead
    throw new Error(
      `storage.postgres_url: cannot open the PostgreSQL store at ${redactUrl(url)}: ` +
        redactSecrets(messageOf(error), url),
    );
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message || (error instanceof AggregateError ? error.errors.map(messageOf).join('; ') : '');
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
