// `vigil diagnose` and `vigil report` on the PostgreSQL store (storage.backend: postgres, DATABASE_URL), seeded
// with a prober's history through the store API: the same answers as on SQLite.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { probeHistory, seedResults } from '../helpers/stored-history.js';
import { runVigil, writeConfigDir } from '../helpers/vigil-process.js';

const MINUTE = 60_000;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;

let postgres: PostgresServer;
let configDir: string;

beforeAll(async () => {
  postgres = await startPostgres();
  configDir = writeConfigDir({
    'checks.yml': `
checks:
  - {id: shop_api, name: Shop API, service: shop, endpoint: {url: "http://shop.internal:8080/health"},
     interval: 60s, timeout: 5s}
  - {id: shop_web, name: Shop web, service: shop, endpoint: {url: "http://shop.internal/"}, interval: 60s, timeout: 5s}
`,
    'config.yml': 'storage: {backend: postgres}\n',
  });
  const store = await PostgresStore.open(postgres.url);
  try {
    // 100 minutes of probes ending 100 minutes ago; shop_api refused connections for minutes 40–49.
    await seedResults(store, [
      ...probeHistory('shop_api', NOW - 200 * MINUTE, NOW - 100 * MINUTE, MINUTE, (_at, index) =>
        index >= 40 && index < 50
          ? { status: 'down', reason: 'connect', message: 'connect ECONNREFUSED 10.0.0.7:8080' }
          : undefined,
      ),
      ...probeHistory('shop_web', NOW - 200 * MINUTE, NOW - 100 * MINUTE, MINUTE),
    ]);
  } finally {
    await store.close();
  }
});

afterAll(async () => {
  await postgres?.stop();
});

const vigil = (...args: string[]) => runVigil([...args, '--config-dir', configDir], { DATABASE_URL: postgres.url });

it('reports uptime from PostgreSQL', () => {
  const { code, stdout, stderr } = vigil('report', '--json');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const answer = JSON.parse(stdout) as {
    services: Array<{ name: string; uptime_percent: number; downtime_minutes: number; incidents: number }>;
    incidents: Array<{ check: string; duration_minutes: number; reason: string }>;
  };
  // Two checks, each 99 minutes and 125 s (2 × 60 s + the 5 s timeout) measured; shop_api lost 10 minutes.
  const measured = 2 * (99 * 60 + 125);
  expect(answer.services).toHaveLength(1);
  expect(answer.services[0]!.uptime_percent).toBeCloseTo(((measured - 600) / measured) * 100, 9);
  expect(answer.services[0]!.downtime_minutes).toBeCloseTo(5, 9);
  expect(answer.incidents).toEqual([
    expect.objectContaining({ check: 'shop_api', duration_minutes: 10, reason: 'connect' }),
  ]);
});

it('diagnoses a check from PostgreSQL, and exits 1 for an unknown one', () => {
  const { code, stdout } = vigil('diagnose', 'shop_api', '--lookback', '4h', '--json');
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({ check: 'shop_api', source: 'rules' });
  const unknown = vigil('diagnose', 'shop_db');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/unknown check `shop_db`/);
});
