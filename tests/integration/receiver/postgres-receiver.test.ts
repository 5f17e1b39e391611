// The receiver on the PostgreSQL backend over real HTTP: two receivers (replicas) on one database take the same
// notifications from an HA pair and keep one alert; a store that refuses writes makes the webhook answer 503, and
// Alertmanager's retry is stored once the database takes writes again.

import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

let server: PostgresServer;
let first: ReceiverHarness;
let second: ReceiverHarness;

async function asOwner(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPostgres();
  const options = { configYml: 'storage: {backend: postgres}\n', env: { DATABASE_URL: server.url } };
  first = await startReceiver(options);
  second = await startReceiver(options);
}, 60_000);

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await server?.stop();
});

const startsAt = Date.UTC(2025, 4, 6, 8, 55);

it('keeps one alert when two replicas take the same notifications at once', async () => {
  const batch = notification(['a', 'b', 'c'].map((check) => alert({ labels: down(check), startsAt })));
  const answers = await Promise.all([
    first.post(batch),
    second.post({ ...batch, externalURL: 'http://am-2:9093' }),
    first.post(batch),
  ]);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  const outcomes = answers.flatMap((answer) => Object.entries(answer.body.outcomes as Record<string, number>));
  expect(outcomes.filter(([outcome]) => outcome === 'new').reduce((sum, [, count]) => sum + count, 0)).toBe(3);
  const alerts = await second.allAlerts();
  expect(alerts.map((each) => each.check).sort()).toEqual(['a', 'b', 'c']);
  expect(alerts.every((each) => each.notification_count === 1)).toBe(true);
});

it('answers 503 while the database refuses writes, then stores the retry exactly once', async () => {
  const payload = notification([alert({ labels: down('d'), startsAt })]);
  await asOwner(`REVOKE INSERT, UPDATE ON alerts FROM ${server.user}`);
  try {
    const refused = await first.post(payload);
    expect(refused).toEqual({ status: 503, body: { error: 'the alert store is unavailable; retry later' } });
    expect(await first.allAlerts('&check=d')).toEqual([]);
  } finally {
    await asOwner(`GRANT INSERT, UPDATE ON alerts TO ${server.user}`);
  }
  expect((await first.post(payload)).body.outcomes).toEqual({ new: 1 });
  expect((await second.post(payload)).body.outcomes).toEqual({ duplicate: 1 });
  expect(await second.allAlerts('&check=d')).toHaveLength(1);
});
