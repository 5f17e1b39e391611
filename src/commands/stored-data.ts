// What `vigil diagnose` and `vigil report` read: the loaded configuration and the store a Vigil of that
// configuration writes, opened beside a running one. SQLite's WAL lets this reader run next to the prober's writer;
// opening brings the schema up to date, which on a store that Vigil already migrated writes nothing. No background
// checkpoint, no retention or rollup job: these commands only read. A SQLite file that does not exist is an error
// here (the store would otherwise create an empty one), since reading an empty store tells the user nothing.

import { existsSync } from 'node:fs';
import path from 'node:path';

import { loadFormatted } from '../app.js';
import type { VigilConfig } from '../config/index.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

export type StoredData =
  | { ok: true; config: VigilConfig; store: Store; where: string }
  | { ok: false; kind: 'config-invalid'; problems: string[] }
  | { ok: false; kind: 'no-store' | 'refused'; message: string };

export interface StoredDataOptions {
  configDir: string;
  env: Record<string, string | undefined>;
  /** The --data-dir flag; config.yml's `data_dir` otherwise. */
  dataDir: string | undefined;
  /** Asked before the store is opened: why the command cannot run on this configuration (an unknown check). */
  refuse?: (config: VigilConfig) => string | undefined;
}

export async function openStoredData(options: StoredDataOptions): Promise<StoredData> {
  const loaded = loadFormatted(options.configDir, options.env);
  if (!loaded.ok) return { ok: false, kind: 'config-invalid', problems: loaded.problems };
  const { config } = loaded;
  const refused = options.refuse?.(config);
  if (refused !== undefined) return { ok: false, kind: 'refused', message: refused };
  const { storage } = config.settings;
  const dataDir = options.dataDir ?? config.settings.dataDir;
  const where =
    storage.backend === 'sqlite'
      ? path.resolve(dataDir, storage.sqlitePath)
      : 'the PostgreSQL store (storage.postgres_url)';
  if (storage.backend === 'sqlite' && !existsSync(where)) {
    return {
      ok: false,
      kind: 'no-store',
      message:
        `no Vigil store at ${where}: point --data-dir at the data directory of the Vigil whose checks you ` +
        'mean (or set data_dir / storage.sqlite_path in config.yml)',
    };
  }
  try {
    const store = await openStore(storage, dataDir);
    return { ok: true, config, store, where };
  } catch (error) {
    return { ok: false, kind: 'no-store', message: error instanceof Error ? error.message : String(error) };
  }
}
