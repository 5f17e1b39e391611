// When the store cannot take a write, the webhook answers 503 with Retry-After and stores nothing, so Alertmanager
// keeps the notification and retries; once the store is back, the retry is stored exactly once. The failure is
// real: another connection holds SQLite's write lock (as a backup or the sqlite3 shell would).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sampleValue } from '../../helpers/vigil-process.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import { type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

let dir: string;
let store: SqliteStore;
let receiver: ReceiverHarness;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-locked-'));
  store = await SqliteStore.open(path.join(dir, 'vigil.db'), { busyTimeoutMs: 200 });
  receiver = await startReceiver({ store });
});

afterAll(async () => {
  await receiver.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

it('answers 503 while the store is locked, then stores the retry once', async () => {
  const payload = notification([alert({ labels: down('web'), startsAt: Date.UTC(2025, 4, 6, 8, 55) })]);
  const other = new Database(path.join(dir, 'vigil.db'));
  other.exec('BEGIN IMMEDIATE');
  try {
    const response = await fetch(`${receiver.url}/api/v1/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: 'the alert store is unavailable; retry later' });
    // Readers are not blocked by a writer in WAL mode: the admin API still answers, and nothing was stored.
    expect(await receiver.allAlerts()).toEqual([]);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  expect((await receiver.post(payload)).status).toBe(200);
  expect((await receiver.post(payload)).body.outcomes).toEqual({ duplicate: 1 });
  expect(await receiver.allAlerts()).toHaveLength(1);
  const metrics = await (await fetch(`${receiver.url}/metrics`)).text();
  expect(sampleValue(metrics, 'uptime_receiver_notifications_total', { outcome: 'store_unavailable' })).toBe(1);
});
