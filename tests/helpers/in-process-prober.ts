// The prober role started in this process from a config directory, over a SQLite store a test has seeded, on
// 127.0.0.1:0: the real HTTP surface (metrics, reload, the JSON API, the status page) with its real wiring.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { formatProblem, loadConfig } from '../../src/config/index.js';
import { Prober } from '../../src/prober-role.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredResult } from '../../src/store/store.js';
import { seedResults } from './stored-history.js';
import { makeTempDir } from './temp-dirs.js';

export interface InProcessProber {
  url: string;
  stop(): Promise<void>;
}

export interface InProcessProberOptions {
  /** checks.yml, status-page.yml, config.yml by name. */
  files: Record<string, string>;
  results?: readonly StoredResult[];
  adminToken?: string;
  logger?: Logger;
}

export async function startInProcessProber(options: InProcessProberOptions): Promise<InProcessProber> {
  const configDir = makeTempDir('vigil-config');
  for (const [name, text] of Object.entries(options.files)) writeFileSync(path.join(configDir, name), text);
  const loaded = loadConfig({ configDir, env: {} });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const store = await SqliteStore.open(path.join(makeTempDir('vigil-data'), 'vigil.db'));
  await seedResults(store, options.results ?? []);
  const prober = await Prober.start({
    config: loaded.config,
    store,
    logger: options.logger ?? pino({ level: 'silent' }),
    listen: { host: '127.0.0.1', port: 0 },
    adminToken: options.adminToken,
    reload: async () => ({ ok: true, problems: [] }),
  });
  return {
    url: `http://127.0.0.1:${prober.address.port}`,
    async stop() {
      await prober.close();
      await store.close();
    },
  };
}
