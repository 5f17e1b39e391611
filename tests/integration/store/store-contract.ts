// The behaviour every Store backend shares, registered once per backend: migrations, results, incidents, rollups,
// retention and durability across a restart, plus the ResultWriter on top of the real store. The alert tables have
// suites of their own (tests/integration/receiver); here only their upgrade.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AlertRecord, IncomingAlert } from '../../../src/model/alert.js';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';
import type { NotificationPlanner } from '../../../src/store/alert-store.js';
import { ingestAlerts, notificationOf } from '../../helpers/incoming-notification.js';
import type { Retention } from '../../../src/model/retention.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/store/migrations/index.js';
import { POSTGRES_INCIDENT_SQL, SQLITE_INCIDENT_SQL, incidentSelect } from '../../../src/store/incident-query.js';
import type { IncidentQuery, Store } from '../../../src/store/store.js';
import { registerResultWriterContract } from './result-writer-contract.js';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  incident,
  result,
  rollup,
  startTimes,
  type StoreFixture,
  type StoreHarness,
  undoOutboxMigration,
} from './store-harness.js';

export function registerStoreContract(harness: StoreHarness): void {
  describe(`${harness.backend} store`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await harness.create();
      store = await fixture.open();
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    describe('migrations', () => {
      it('applies every migration once and records it', async () => {
        expect(store.backend).toBe(harness.backend);
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        const rows = await fixture.query('SELECT version, name FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => [Number(row.version), row.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
      });

      it('is idempotent: opening again keeps the version and applies nothing twice', async () => {
        await store.insertResults([result('api', T0)]);
        await store.close();
        const again = await fixture.open();
        expect(await again.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        expect(await fixture.query('SELECT version FROM schema_migrations')).toHaveLength(MIGRATIONS.length);
        expect(await again.listResults('api')).toHaveLength(1);
      });

      it('lets two stores open the same new database at once', async () => {
        const fresh = await harness.create();
        try {
          const [first, second] = await Promise.all([fresh.open(), fresh.open()]);
          expect(await first.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
          expect(await second.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
          expect(await fresh.query('SELECT version FROM schema_migrations')).toHaveLength(MIGRATIONS.length);
        } finally {
          await fresh.dispose();
        }
      });

      it('upgrades a database of the release before: results stay, and their index comes to carry the status', async () => {
        await store.insertResults([
          result('api', T0, { status: 'down', reason: 'timeout' }),
          result('api', T0 + MINUTE),
        ]);
        await store.close();
        // Back to schema 5, as that release left it.
        await undoOutboxMigration(fixture);
        await fixture.query('CREATE INDEX results_check_started ON results (check_id, started_at)');
        await fixture.query('DROP INDEX results_check_started_status');
        await fixture.query('DELETE FROM schema_migrations WHERE version = 6');

        const upgraded = await fixture.open();
        expect(await upgraded.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        expect(await upgraded.resultsInRange(T0, T0 + HOUR, ['api'])).toEqual([
          { checkId: 'api', startedAt: T0, status: 'down' },
          { checkId: 'api', startedAt: T0 + MINUTE, status: 'healthy' },
        ]);
        const indexes =
          harness.backend === 'sqlite'
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'results' ORDER BY name"
            : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'results' ORDER BY indexname";
        expect((await fixture.query(indexes)).map((row) => row.name)).toEqual([
          'results_check_started_status',
          'results_started',
        ]);
      });

      it('upgrades a database of schema 6: its alerts stay, and the outbox starts empty and takes jobs', async () => {
        const alert: IncomingAlert = {
          fingerprint: 'fp-web',
          status: 'firing',
          labels: { alertname: 'Down' },
          annotations: {},
          startsAt: T0,
          receivedAt: T0,
        };
        const plan = (latest: AlertRecord | undefined, incoming: IncomingAlert) =>
          planIngest(latest, incoming, { dedupWindowMs: MINUTE, newId: randomUUID });
        const [before] = await ingestAlerts(store.alerts, [alert], plan);
        await store.close();
        await undoOutboxMigration(fixture);

        const upgraded = await fixture.open();
        expect(await upgraded.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        expect((await upgraded.alerts.get(before!.alerts[0]!.id))?.state).toBe('active');
        expect(await upgraded.outbox.counts()).toEqual([]);
        const notify: NotificationPlanner = (_stored, _group, alerts) => ({
          group: { groupKey: 'g', stateKey: 's', status: 'firing', sequence: 1, notifiedAt: T0 },
          send: {
            id: 'g#1',
            notification: {
              ...{ groupKey: 'g', stateKey: 's', status: 'firing', severity: 'critical', alerts: [], acceptedAt: T0 },
              ...{ groupLabels: {}, commonLabels: {}, commonAnnotations: {} },
            },
            alertIds: alerts.map((stored) => stored.id),
            destinations: [{ channel: 'console', state: 'pending' }],
          },
        });
        await upgraded.alerts.ingest([notificationOf([alert], { groupKey: 'g' })], {
          alert: plan,
          notification: notify,
        });
        expect(await upgraded.outbox.deliveriesOf(before!.alerts[0]!.id)).toMatchObject([
          { notificationId: 'g#1', channel: 'console', state: 'pending' },
        ]);
      });

      it('refuses a database migrated by a newer release', async () => {
        await store.close();
        const future = LATEST_SCHEMA_VERSION + 1;
        await fixture.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${future}, 'x', 0)`);
        await expect(fixture.open()).rejects.toThrow(/newer than this Vigil knows/);
      });
    });

    describe('results', () => {
      it('round-trips every field, and leaves absent optional fields absent', async () => {
        const full = result('web', T0, {
          status: 'down',
          reason: 'status_code',
          message: 'expected 200, got 503',
          httpStatus: 503,
          certExpiresAt: 1_767_225_600,
          consecutiveFailures: 3,
          inMaintenance: true,
          durationMs: 123.456,
        });
        const bare = result('dns', T0, { phases: {} });
        await store.insertResults([full, bare]);

        expect(await store.listResults('web')).toStrictEqual([full]);
        const [stored] = await store.listResults('dns');
        expect(stored).toStrictEqual(bare);
        expect(Object.keys(stored ?? {})).not.toContain('reason');
      });

      it('cuts messages to 1,000 characters and replaces NUL bytes', async () => {
        await store.insertResults([result('tcp', T0, { message: `banner\u0000${'é'.repeat(1_500)}` })]);
        const [stored] = await store.listResults('tcp');
        expect(stored?.message).toHaveLength(1_000);
        expect(stored?.message.startsWith('banner\uFFFDéé')).toBe(true);
      });

      it('lists one check oldest first within [since, until), the newest `limit` when limited', async () => {
        const times = [5, 1, 4, 2, 3].map((minute) => T0 + minute * MINUTE);
        await store.insertResults([...times.map((time) => result('api', time)), result('other', T0 + 3 * MINUTE)]);

        const all = await store.listResults('api');
        expect(all.map((stored) => stored.startedAt)).toEqual([1, 2, 3, 4, 5].map((minute) => T0 + minute * MINUTE));
        const window = await store.listResults('api', { since: T0 + 2 * MINUTE, until: T0 + 4 * MINUTE });
        expect(window.map((stored) => stored.startedAt)).toEqual([T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
        const newest = await store.listResults('api', { limit: 2 });
        expect(newest.map((stored) => stored.startedAt)).toEqual([T0 + 4 * MINUTE, T0 + 5 * MINUTE]);
        const newestBefore = await store.listResults('api', { until: T0 + 4 * MINUTE, limit: 2 });
        expect(newestBefore.map((stored) => stored.startedAt)).toEqual([T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
        expect(await store.listResults('api', { limit: 0 })).toEqual([]);
        expect(await store.listResults('missing')).toEqual([]);
      });

      it('returns every check in a range, by check then time', async () => {
        await store.insertResults([
          result('b', T0 + 2 * MINUTE),
          result('a', T0 + 3 * MINUTE),
          result('b', T0),
          result('a', T0 + MINUTE),
          result('c', T0 + 10 * MINUTE),
          result('a', T0 - MINUTE),
        ]);

        expect(startTimes(await store.resultsInRange(T0, T0 + 10 * MINUTE))).toEqual([
          ['a', T0 + MINUTE],
          ['a', T0 + 3 * MINUTE],
          ['b', T0],
          ['b', T0 + 2 * MINUTE],
        ]);
        expect(startTimes(await store.resultsInRange(T0 - HOUR, T0 + HOUR, ['c', 'b']))).toEqual([
          ['b', T0],
          ['b', T0 + 2 * MINUTE],
          ['c', T0 + 10 * MINUTE],
        ]);
        expect(await store.resultsInRange(T0 - HOUR, T0 + HOUR, [])).toEqual([]);
      });

      it('orders checks by the bytes of their ids, as the database does, however they are asked for', async () => {
        // U+FB00 sorts before U+1F600 in UTF-8 and after it in UTF-16 (a surrogate pair starts at 0xD83D).
        const [ligature, emoji] = ['\uFB00', '\u{1F600}'];
        await store.insertResults([result(emoji, T0), result(ligature, T0), result('b', T0)]);

        const asked = await store.resultsInRange(T0, T0 + HOUR, [emoji, 'b', ligature, emoji]);
        expect(asked.map((found) => found.checkId)).toEqual(['b', ligature, emoji]);
        const all = await store.resultsInRange(T0, T0 + HOUR);
        expect(all.map((found) => found.checkId)).toEqual(['b', ligature, emoji]);
      });

      it('gives a range as check, start and status only: what the SLA math reads of a result', async () => {
        await store.insertResults([result('a', T0, { status: 'down', reason: 'timeout' }), result('a', T0 + MINUTE)]);

        expect(await store.resultsInRange(T0, T0 + HOUR, ['a'])).toStrictEqual([
          { checkId: 'a', startedAt: T0, status: 'down' },
          { checkId: 'a', startedAt: T0 + MINUTE, status: 'healthy' },
        ]);
      });

      it('finds when the earliest result of some checks started', async () => {
        expect(await store.firstResultAt(['a'])).toBeUndefined();
        await store.insertResults([
          result('a', T0 + HOUR),
          result('a', T0 + 2 * HOUR),
          result('b', T0 - DAY),
          result('c', T0 + MINUTE),
        ]);

        expect(await store.firstResultAt(['a'])).toBe(T0 + HOUR);
        expect(await store.firstResultAt(['a', 'c', 'missing', 'a'])).toBe(T0 + MINUTE);
        expect(await store.firstResultAt(['b', 'a'])).toBe(T0 - DAY);
        expect(await store.firstResultAt(['missing'])).toBeUndefined();
        expect(await store.firstResultAt([])).toBeUndefined();
      });

      it('finds the last result of each check before a time', async () => {
        await store.insertResults([
          result('a', T0 - 2 * MINUTE, { status: 'down', reason: 'timeout' }),
          result('a', T0 - MINUTE),
          result('a', T0),
          result('b', T0 - HOUR),
          result('c', T0 + MINUTE),
        ]);

        const before = await store.lastResultsBefore(T0);
        expect(startTimes(before)).toEqual([
          ['a', T0 - MINUTE],
          ['b', T0 - HOUR],
        ]);
        expect(before[0]).toStrictEqual(result('a', T0 - MINUTE));
        expect(startTimes(await store.lastResultsBefore(T0 - MINUTE, ['a', 'c', 'missing']))).toEqual([
          ['a', T0 - 2 * MINUTE],
        ]);
        expect(await store.lastResultsBefore(T0, [])).toEqual([]);
      });

      it('gives the newest result of every check, for the prober after a restart', async () => {
        expect(await store.latestResults()).toEqual([]);
        const newestOfA = result('a', T0 + 2 * MINUTE, { status: 'degraded', reason: 'slow', consecutiveFailures: 0 });
        await store.insertResults([result('a', T0), newestOfA, result('b', T0 + MINUTE), result('a', T0 + MINUTE)]);
        await store.insertResults([result('z_last', T0 - DAY)]);

        const latest = await store.latestResults();
        expect(startTimes(latest)).toEqual([
          ['a', T0 + 2 * MINUTE],
          ['b', T0 + MINUTE],
          ['z_last', T0 - DAY],
        ]);
        expect(latest[0]).toStrictEqual(newestOfA);
      });
    });

    describe('push heartbeats', () => {
      it('keeps the latest time each push check was heard, never moving back', async () => {
        expect(await store.pushLastHeard()).toEqual(new Map());
        await store.savePushHeard('backup', T0);
        await store.savePushHeard('etl', T0 + MINUTE);
        await store.savePushHeard('backup', T0 + 2 * MINUTE);
        await store.savePushHeard('backup', T0 + MINUTE);
        expect(await store.pushLastHeard()).toEqual(
          new Map([
            ['backup', T0 + 2 * MINUTE],
            ['etl', T0 + MINUTE],
          ]),
        );
      });
    });

    describe('incidents', () => {
      it('saves an incident and updates it in place by id', async () => {
        const opened = incident('inc-1', 'api', T0);
        await store.saveIncident(opened);
        expect(await store.listIncidents()).toStrictEqual([opened]);

        const closed = {
          ...opened,
          closedAt: T0 + 10 * MINUTE,
          failures: 4,
          lastFailureAt: T0 + 8 * MINUTE,
          lastMessage: 'x'.repeat(2_000),
        };
        await store.saveIncident(closed);
        expect(await store.listIncidents()).toStrictEqual([{ ...closed, lastMessage: 'x'.repeat(1_000) }]);
      });

      it('filters by open state, by time and by check, newest first', async () => {
        await store.saveIncident(incident('old', 'api', T0 - 3 * DAY, { closedAt: T0 - 2 * DAY }));
        await store.saveIncident(incident('spans', 'db', T0 - DAY, { closedAt: T0 + HOUR }));
        await store.saveIncident(incident('open-api', 'api', T0 - 5 * DAY));
        await store.saveIncident(incident('open-db', 'db', T0 + 2 * HOUR));

        const ids = (incidents: Array<{ id: string }>) => incidents.map((found) => found.id);
        expect(ids(await store.listIncidents())).toEqual(['open-db', 'spans', 'old', 'open-api']);
        expect(ids(await store.listIncidents({ openOnly: true }))).toEqual(['open-db', 'open-api']);
        expect(ids(await store.listIncidents({ since: T0 }))).toEqual(['open-db', 'spans', 'open-api']);
        expect(ids(await store.listIncidents({ checkId: 'api' }))).toEqual(['old', 'open-api']);
        expect(ids(await store.listIncidents({ checkId: 'db', openOnly: true }))).toEqual(['open-db']);
        expect(ids(await store.listIncidents({ checkIds: ['api'] }))).toEqual(['old', 'open-api']);
        expect(ids(await store.listIncidents({ checkIds: ['api', 'db'], since: T0 }))).toEqual([
          'open-db',
          'spans',
          'open-api',
        ]);
        expect(ids(await store.listIncidents({ checkIds: ['db'], limit: 1 }))).toEqual(['open-db']);
        expect(await store.listIncidents({ checkIds: [] })).toEqual([]);
        expect(ids(await store.listIncidents({ limit: 2 }))).toEqual(['open-db', 'spans']);
      });

      // The diagnosis asks for the open incidents and each check's recent ones on every alert, the prober for the
      // open and recent ones at start, the status page for its checks' recent ones: none may read the whole table.
      it('reads incidents through an index for every filter its callers use', async () => {
        const dialect = harness.backend === 'sqlite' ? SQLITE_INCIDENT_SQL : POSTGRES_INCIDENT_SQL;
        const fullScan = harness.backend === 'sqlite' ? /\bSCAN incidents\b/ : /Seq Scan on incidents/;
        const queries: IncidentQuery[] = [
          { openOnly: true, limit: 500 },
          { openOnly: true },
          { checkId: 'api', since: T0, limit: 50 },
          { since: T0 },
          { checkIds: ['api', 'db'], since: T0, limit: 20 },
        ];
        for (const query of queries) {
          const { sql, values } = incidentSelect(query, dialect);
          const plan = await fixture.plan(sql, values);
          expect(plan, `${JSON.stringify(query)}:\n${plan}`).not.toMatch(fullScan);
        }
      });
    });

    describe('rollups', () => {
      it('saves, replaces and lists rollups by resolution, range and check', async () => {
        await store.saveRollups([
          rollup('a', 'hour', T0),
          rollup('a', 'hour', T0 + HOUR),
          rollup('b', 'hour', T0),
          rollup('a', 'day', T0),
        ]);
        const replacement = rollup('a', 'hour', T0 + HOUR, 1_000);
        await store.saveRollups([replacement]);

        const hourly = await store.listRollups({ resolution: 'hour', from: T0, to: T0 + DAY });
        expect(hourly).toStrictEqual([rollup('a', 'hour', T0), replacement, rollup('b', 'hour', T0)]);
        const secondHour = await store.listRollups({ resolution: 'hour', from: T0 + HOUR, to: T0 + 2 * HOUR });
        expect(secondHour).toStrictEqual([replacement]);
        expect(await store.listRollups({ resolution: 'hour', from: T0, to: T0 + DAY, checkIds: ['b'] })).toStrictEqual([
          rollup('b', 'hour', T0),
        ]);
        const daily = await store.listRollups({ resolution: 'day', from: T0, to: T0 + DAY });
        expect(daily).toStrictEqual([rollup('a', 'day', T0)]);
      });

      it('adds up the rollups of each check, one resolution, over a range, field by field', async () => {
        await store.saveRollups([
          rollup('a', 'hour', T0 - HOUR),
          rollup('a', 'hour', T0),
          rollup('a', 'hour', T0 + HOUR, 1_000),
          rollup('a', 'hour', T0 + 2 * HOUR),
          rollup('a', 'day', T0),
          rollup('b', 'hour', T0 + HOUR, 7),
          rollup('c', 'hour', T0),
        ]);

        const hours = { resolution: 'hour', from: T0, to: T0 + 2 * HOUR } as const;
        const sums = await store.sumRollups({ ...hours, checkIds: ['b', 'a', 'missing'] });
        expect(sums).toStrictEqual([
          {
            checkId: 'a',
            upMs: 3_001_000,
            degradedMs: 500_001,
            downMs: 200_000,
            maintenanceMs: 0,
            unknownMs: 499_999,
            checksTotal: 240,
            checksSuccess: 234,
            checksFailed: 6,
          },
          {
            checkId: 'b',
            upMs: 7,
            degradedMs: 250_000.5,
            downMs: 100_000,
            maintenanceMs: 0,
            unknownMs: 249_999.5,
            checksTotal: 120,
            checksSuccess: 117,
            checksFailed: 3,
          },
        ]);
        const [dayOfA] = await store.sumRollups({ resolution: 'day', from: T0, to: T0 + DAY, checkIds: ['a'] });
        expect(dayOfA).toStrictEqual({
          checkId: 'a',
          upMs: 3_000_000,
          degradedMs: 250_000.5,
          downMs: 100_000,
          maintenanceMs: 0,
          unknownMs: 249_999.5,
          checksTotal: 120,
          checksSuccess: 117,
          checksFailed: 3,
        });
        expect(await store.sumRollups({ ...hours, checkIds: [] })).toEqual([]);
        expect(await store.sumRollups({ ...hours, from: T0 + 3 * HOUR, to: T0 + DAY, checkIds: ['a'] })).toEqual([]);
      });

      it('tracks how far each resolution is rolled up, never moving back', async () => {
        expect(await store.rolledUpTo('hour')).toBeUndefined();
        await store.saveRollups([rollup('a', 'hour', T0), rollup('b', 'hour', T0 + 2 * HOUR)]);
        expect(await store.rolledUpTo('hour')).toBe(T0 + 3 * HOUR);
        expect(await store.rolledUpTo('day')).toBeUndefined();

        await store.saveRollups([rollup('a', 'hour', T0 + HOUR), rollup('a', 'day', T0)]);
        expect(await store.rolledUpTo('hour')).toBe(T0 + 3 * HOUR);
        expect(await store.rolledUpTo('day')).toBe(T0 + DAY);
      });
    });

    describe('retention', () => {
      const now = T0 + 400 * DAY;
      const retention: Retention = { resultsMs: 90 * DAY, incidentsMs: 365 * DAY, hourlyRollupsMs: 30 * DAY };

      it('deletes what is older than the retention and keeps the rest', async () => {
        const recent = result('a', now - 89 * DAY);
        // Results of the hour before the cut stay: the one in force when a 90-day window starts.
        const inForce = result('a', now - 90 * DAY - 30 * MINUTE);
        await store.insertResults([
          result('a', now - 91 * DAY),
          result('a', now - 90 * DAY - 61 * MINUTE),
          inForce,
          recent,
          result('b', now - 100 * DAY),
        ]);
        await store.saveIncident(incident('closed-old', 'a', now - 370 * DAY, { closedAt: now - 366 * DAY }));
        await store.saveIncident(incident('closed-recent', 'a', now - 300 * DAY, { closedAt: now - 299 * DAY }));
        await store.saveIncident(incident('still-open', 'b', now - 390 * DAY));
        await store.saveRollups([
          rollup('a', 'hour', now - 31 * DAY),
          rollup('a', 'hour', now - 29 * DAY),
          rollup('a', 'day', now - 366 * DAY),
          rollup('a', 'day', now - 200 * DAY),
        ]);

        expect(await store.prune(now, retention)).toEqual({ results: 3, incidents: 1, rollups: 2 });

        expect(await store.listResults('a')).toStrictEqual([inForce, recent]);
        expect(await store.listResults('b')).toStrictEqual([]);
        expect((await store.listIncidents()).map((found) => found.id).sort()).toEqual(['closed-recent', 'still-open']);
        const keptRollups = [
          ...(await store.listRollups({ resolution: 'hour', from: 0, to: now })),
          ...(await store.listRollups({ resolution: 'day', from: 0, to: now })),
        ];
        expect(keptRollups.map((found) => [found.resolution, found.bucketStart])).toEqual([
          ['hour', now - 29 * DAY],
          ['day', now - 200 * DAY],
        ]);
        expect(await store.rolledUpTo('hour')).toBe(now - 29 * DAY + HOUR);
        expect(await store.prune(now, retention)).toEqual({ results: 0, incidents: 0, rollups: 0 });
      });
    });

    describe('durability', () => {
      it('keeps results, incidents and rollups across close and reopen', async () => {
        const stored = [result('a', T0), result('a', T0 + MINUTE, { status: 'down', reason: 'connect' })];
        const open = incident('inc-open', 'a', T0 + MINUTE);
        await store.insertResults(stored);
        await store.saveIncident(open);
        await store.saveRollups([rollup('a', 'hour', T0)]);
        await store.close();

        const reopened = await fixture.open();
        expect(await reopened.listResults('a')).toStrictEqual(stored);
        expect(await reopened.latestResults()).toStrictEqual([stored[1]]);
        expect(await reopened.listIncidents({ openOnly: true })).toStrictEqual([open]);
        expect(await reopened.rolledUpTo('hour')).toBe(T0 + HOUR);
      });
    });

    registerResultWriterContract(() => ({ fixture, store }));
  });
}
