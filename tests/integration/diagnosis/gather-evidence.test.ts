// Evidence gathering from a real SQLite store: what the rules and the AI are given about a check (its target
// without secrets, when it last passed even beyond the lookback, its incidents, the checks down with it and what
// they share, maintenance near), for a check alert and for a group alert, and the notes on where it came from.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../../src/diagnosis/index.js';
import type { MaintenanceWindow } from '../../../src/model/maintenance.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { httpCheck, postgresCheck, tcpCheck } from '../../helpers/checks.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';
import { HOUR, history, MINUTE, NOW, seed, subjectFor } from './scenarios.js';

const REFUSED = { status: 'down', reason: 'connect', message: 'connection refused by db.internal:5432' } as const;

const checks = [
  postgresCheck('postgres://orders:0rders-pw@db.internal:5432/orders', {
    id: 'orders_db',
    component: 'db',
    service: 'orders',
  }),
  tcpCheck('db.internal', 5432, { id: 'db_port', component: 'db', service: 'platform' }),
  httpCheck('https://shop.example.com/health', { id: 'shop', component: 'web', service: 'shop' }),
];

/** orders_db has failed for two hours (longer than the lookback); db_port for ten minutes; shop is healthy. */
const results = [
  ...history('orders_db', NOW - 5 * HOUR, NOW, MINUTE, (at) => (at >= NOW - 2 * HOUR ? REFUSED : undefined)),
  ...history('db_port', NOW - 5 * HOUR, NOW, MINUTE, (at) => (at >= NOW - 10 * MINUTE ? REFUSED : undefined)),
  ...history('shop', NOW - 5 * HOUR, NOW, MINUTE),
];

const maintenance: MaintenanceWindow[] = [
  {
    kind: 'one-off',
    id: 'db-upgrade',
    start: new Date(NOW + 30 * MINUTE).toISOString(),
    end: new Date(NOW + 90 * MINUTE).toISOString(),
    scope: { components: ['db'] },
  },
  {
    kind: 'one-off',
    id: 'later',
    start: new Date(NOW + 5 * HOUR).toISOString(),
    end: new Date(NOW + 6 * HOUR).toISOString(),
    scope: {},
  },
  {
    kind: 'one-off',
    id: 'web-only',
    start: new Date(NOW).toISOString(),
    end: new Date(NOW + HOUR).toISOString(),
    scope: { components: ['web'] },
  },
];

let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function seeded(): Promise<Store> {
  store = await SqliteStore.open(path.join(makeTempDir('vigil-evidence'), 'vigil.db'));
  await seed(store, results);
  return store;
}

describe('gatherEvidence', () => {
  it('gathers what is known of the alert’s check from the store', async () => {
    const evidence = await gatherEvidence(subjectFor('orders_db'), {
      store: await seeded(),
      checks,
      maintenance,
      now: NOW,
      lookbackMs: HOUR,
    });
    expect(evidence.at).toBe(NOW);
    expect(evidence.alert.labels['check']).toBe('orders_db');
    const [orders] = evidence.checks;
    expect(orders).toMatchObject({
      checkId: 'orders_db',
      component: 'db',
      service: 'orders',
      target: { type: 'postgres', host: 'db.internal', port: 5432, database: 'orders' },
      lastHealthyAt: NOW - 2 * HOUR - MINUTE,
      historySince: NOW - 5 * HOUR,
      maintenance: [{ id: 'db-upgrade', start: NOW + 30 * MINUTE, end: NOW + 90 * MINUTE }],
    });
    expect(orders?.recent).toHaveLength(60);
    expect(orders?.recent.every((result) => result.reason === 'connect')).toBe(true);
    expect(orders?.incidents).toEqual([
      { openedAt: NOW - 2 * HOUR, reason: 'connect', message: 'connection refused by db.internal:5432' },
    ]);
    expect(orders?.coFailing).toEqual([
      {
        checkId: 'db_port',
        name: 'db_port',
        reason: 'connect',
        shared: ['endpoint=db.internal:5432', 'host=db.internal', 'dns_name=db.internal', 'component=db'],
      },
    ]);
    expect(evidence.sources).toEqual([
      {
        source: 'store',
        available: true,
        note: 'results of the last 60 min, incidents of the last 7 days, the checks down now',
      },
    ]);
    expect(JSON.stringify(evidence)).not.toContain('0rders-pw');
  });

  it('covers the failing checks of a component for an alert that names no check', async () => {
    const subject = { ...subjectFor('orders_db'), labels: { alertname: 'ComponentDown', component: 'db' } };
    delete subject.checkId;
    const evidence = await gatherEvidence(subject, { store: await seeded(), checks, maintenance: [], now: NOW });
    expect(evidence.checks.map((check) => check.checkId)).toEqual(['db_port', 'orders_db']);
  });

  it('says when the alert’s check is not among the loaded checks', async () => {
    const evidence = await gatherEvidence(subjectFor('retired_check'), {
      store: await seeded(),
      checks,
      maintenance: [],
      now: NOW,
    });
    expect(evidence.checks).toMatchObject([{ checkId: 'retired_check', recent: [], coFailing: [] }]);
    expect(evidence.sources[1]).toEqual({
      source: 'store',
      available: true,
      note: 'not in the loaded checks (no target known): retired_check',
    });
  });
});
