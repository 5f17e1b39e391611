// What every alert store backend does, registered once per backend: ingest with the receiver's real state machine
// (dedup, refiring, resolution, out-of-order), two replicas ingesting the same alert at once, untrusted text stored
// byte for byte, lifecycle changes, queries, enrichment and pruning, and durability across a reopen.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { IngestOutcome } from '../../../src/model/alert.js';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';
import { acknowledge, LifecycleConflict, resolveByUser } from '../../../src/receiver/lifecycle/transitions.js';
import { AffectedChecks } from '../../../src/receiver/enrichment/affected-checks.js';
import type { EnrichmentRule } from '../../../src/receiver/enrichment/enrich.js';
import type { IncomingAlert } from '../../../src/model/alert.js';
import type { AlertStore } from '../../../src/store/alert-store.js';
import type { Store } from '../../../src/store/store.js';
import { match } from '../../helpers/match.js';
import { ingestAlerts } from '../../helpers/incoming-notification.js';

export interface AlertStoreFixture {
  /** Opens a store on this test's database; again for a restart or a second replica. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface AlertStoreHarness {
  backend: Store['backend'];
  create(): Promise<AlertStoreFixture>;
}

export const T0 = Date.UTC(2025, 4, 6, 9);
export const MINUTE = 60_000;
const context = { dedupWindowMs: 5 * MINUTE, newId: randomUUID };
const plan = (latest: Parameters<typeof planIngest>[0], incoming: IncomingAlert) =>
  planIngest(latest, incoming, context);

/** A firing alert of a check, received at T0. */
export function incoming(check: string, overrides: Partial<IncomingAlert> = {}): IncomingAlert {
  return {
    fingerprint: `fp-${check}`,
    status: 'firing',
    labels: { alertname: 'CheckDown', check, severity: 'critical' },
    annotations: { summary: `${check} is down` },
    startsAt: T0 - 10 * MINUTE,
    receivedAt: T0,
    receiver: 'vigil',
    ...overrides,
  };
}

async function ingest(alerts: AlertStore, ...batch: IncomingAlert[]): Promise<IngestOutcome[]> {
  return (await ingestAlerts(alerts, batch, plan)).map((change) => change.outcome);
}

export function registerAlertStoreContract(harness: AlertStoreHarness): void {
  describe(`${harness.backend} alert store`, () => {
    let fixture: AlertStoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await harness.create();
      store = await fixture.open();
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    it('stores a new alert with every field, and its fired event', async () => {
      const [change] = await ingestAlerts(
        store.alerts,
        [incoming('web', { generatorUrl: 'http://prom/graph', groupKey: '{}:{}', externalUrl: 'http://am' })],
        plan,
      );
      expect(change?.outcome).toBe('new');
      const alert = await store.alerts.get(change!.alerts[0]!.id);
      expect(alert).toEqual({
        id: change!.alerts[0]!.id,
        fingerprint: 'fp-web',
        state: 'active',
        alertname: 'CheckDown',
        severity: 'critical',
        checkId: 'web',
        labels: { alertname: 'CheckDown', check: 'web', severity: 'critical' },
        annotations: { summary: 'web is down' },
        generatorUrl: 'http://prom/graph',
        receiver: 'vigil',
        groupKey: '{}:{}',
        externalUrl: 'http://am',
        startsAt: T0 - 10 * MINUTE,
        lastStartsAt: T0 - 10 * MINUTE,
        firstSeenAt: T0,
        lastSeenAt: T0,
        notificationCount: 1,
        updatedAt: T0,
      });
      const events = await store.alerts.events(alert!.id);
      expect(events).toEqual([
        {
          id: match.any(Number),
          alertId: alert!.id,
          at: T0,
          kind: 'fired',
          source: 'alertmanager',
          notify: true,
          detail: { starts_at: T0 - 10 * MINUTE, receiver: 'vigil' },
        },
      ]);
      expect(change!.events).toEqual(events);
    });

    it('keeps untrusted labels byte for byte; only plain text columns trade NUL, which PostgreSQL refuses', async () => {
      // Parsed from JSON, as the webhook's labels are: `__proto__` is then an ordinary key.
      const labels = JSON.parse(
        '{"alertname":"Odd","check":"ünï\\u0000","__proto__":"x","quote":"\\"\'<script>","emoji":"🔥"}',
      ) as Record<string, string>;
      const [change] = await ingestAlerts(store.alerts, [incoming('odd', { labels })], plan);
      const alert = await store.alerts.get(change!.alerts[0]!.id);
      expect(Object.getPrototypeOf(alert!.labels)).toBe(Object.prototype);
      expect(JSON.stringify(alert!.labels)).toBe(JSON.stringify(labels));
      expect(alert!.labels['check']).toBe('ünï\u0000');
      expect(alert!.checkId).toBe('ünï\uFFFD');
    });

    it('dedups repeats, counts refirings in the window, closes on resolution and ignores what is stale', async () => {
      expect(await ingest(store.alerts, incoming('web'))).toEqual(['new']);
      expect(await ingest(store.alerts, incoming('web', { receivedAt: T0 + MINUTE }))).toEqual(['duplicate']);
      expect(await ingest(store.alerts, incoming('web', { startsAt: T0, receivedAt: T0 + 2 * MINUTE }))).toEqual([
        'refired',
      ]);
      expect(await ingest(store.alerts, incoming('web', { receivedAt: T0 + 3 * MINUTE }))).toEqual(['stale']);
      const resolution = incoming('web', {
        status: 'resolved',
        startsAt: T0,
        endsAt: T0 + 4 * MINUTE,
        receivedAt: T0 + 5 * MINUTE,
      });
      expect(await ingest(store.alerts, resolution)).toEqual(['resolved']);
      expect(await ingest(store.alerts, { ...resolution, receivedAt: T0 + 6 * MINUTE })).toEqual(['duplicate']);
      const [alert] = await store.alerts.list({ limit: 10 });
      expect(alert).toMatchObject({
        state: 'resolved',
        notificationCount: 2,
        lastSeenAt: T0 + 2 * MINUTE,
        endsAt: T0 + 4 * MINUTE,
        durationMs: 14 * MINUTE,
        resolved: { by: 'alertmanager', at: T0 + 5 * MINUTE },
      });
      expect((await store.alerts.events(alert!.id)).map((event) => event.kind)).toEqual([
        'fired',
        'refired',
        'resolved',
      ]);
    });

    it('stores a resolution before its firing as a resolved alert, and the late firing changes nothing', async () => {
      expect(await ingest(store.alerts, incoming('web', { status: 'resolved', endsAt: T0 }))).toEqual(['resolved']);
      expect(await ingest(store.alerts, incoming('web'))).toEqual(['stale']);
      const alerts = await store.alerts.list({ limit: 10 });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ state: 'resolved', durationMs: 10 * MINUTE });
    });

    it('lets two replicas ingest the same alerts at the same moment without a second alert', async () => {
      const replica = await fixture.open();
      const batch = ['a', 'b', 'c', 'd'].map((check) => incoming(check));
      const outcomes = await Promise.all([
        ingest(store.alerts, ...batch),
        ingest(replica.alerts, ...[...batch].reverse()),
        ingest(store.alerts, ...batch),
      ]);
      expect(outcomes.flat().filter((outcome) => outcome === 'new')).toHaveLength(4);
      expect(outcomes.flat().filter((outcome) => outcome === 'duplicate')).toHaveLength(8);
      const alerts = await replica.alerts.list({ limit: 100 });
      expect(alerts.map((alert) => alert.checkId).sort()).toEqual(['a', 'b', 'c', 'd']);
      for (const alert of alerts) expect(await store.alerts.events(alert.id)).toHaveLength(1);
    });

    it('changes one alert in a transaction, and a refusal changes nothing', async () => {
      const [change] = await ingestAlerts(store.alerts, [incoming('web')], plan);
      const id = change!.alerts[0]!.id;
      const applied = await store.alerts.change(id, (alert) =>
        acknowledge(alert, { at: T0 + MINUTE, by: 'alice', note: 'mine' }),
      );
      expect(applied?.alerts[0]).toMatchObject({
        state: 'acknowledged',
        acknowledged: { at: T0 + MINUTE, by: 'alice', note: 'mine' },
      });
      await expect(
        store.alerts.change(id, (alert) => acknowledge(alert, { at: T0 + 2 * MINUTE, by: 'bob' })),
      ).rejects.toThrow(LifecycleConflict);
      expect((await store.alerts.get(id))?.acknowledged?.by).toBe('alice');
      expect(await store.alerts.events(id)).toHaveLength(2);
      expect(
        await store.alerts.change('no-such-id', (alert) => acknowledge(alert, { at: T0, by: 'x' })),
      ).toBeUndefined();
    });

    it('changes several alerts in one transaction, and a refusal of one changes none of them', async () => {
      const changes = await ingestAlerts(store.alerts, [incoming('web'), incoming('db')], plan);
      const [web, db] = changes.map((change) => change.alerts[0]!.id);
      const applied = await store.alerts.changeEach([
        { id: web!, plan: (alert) => acknowledge(alert, { at: T0 + MINUTE, by: 'alice' }) },
        { id: 'no-such-id', plan: (alert) => acknowledge(alert, { at: T0 + MINUTE, by: 'alice' }) },
        { id: db!, plan: (alert) => acknowledge(alert, { at: T0 + MINUTE, by: 'alice' }) },
      ]);
      expect(applied.map((change) => change?.alerts[0]?.state)).toEqual(['acknowledged', undefined, 'acknowledged']);
      await expect(
        store.alerts.changeEach([
          { id: web!, plan: (alert) => resolveByUser(alert, { at: T0 + 2 * MINUTE, by: 'bob' }) },
          { id: db!, plan: (alert) => acknowledge(alert, { at: T0 + 2 * MINUTE, by: 'bob' }) },
        ]),
      ).rejects.toThrow(LifecycleConflict);
      // The first change of the refused transaction was rolled back with it.
      expect((await store.alerts.get(web!))?.state).toBe('acknowledged');
      expect(await store.alerts.events(web!)).toHaveLength(2);
    });

    it('filters, pages, counts, finds what is due and what waits for enrichment', async () => {
      await ingest(
        store.alerts,
        incoming('a', { startsAt: T0 - 3 * MINUTE }),
        incoming('b', { startsAt: T0 - 2 * MINUTE }),
      );
      await ingest(
        store.alerts,
        incoming('c', {
          startsAt: T0 - MINUTE,
          labels: { alertname: 'CheckSlow', check: 'c', severity: 'warning' },
          receivedAt: T0 + 30 * MINUTE,
        }),
      );
      const firstPage = await store.alerts.list({ limit: 2 });
      expect(firstPage.map((alert) => alert.checkId)).toEqual(['c', 'b']);
      const last = firstPage[1]!;
      expect(
        (await store.alerts.list({ limit: 2, before: { startsAt: last.startsAt, id: last.id } })).map(
          (alert) => alert.checkId,
        ),
      ).toEqual(['a']);
      expect((await store.alerts.list({ limit: 9, severity: 'warning' })).map((alert) => alert.checkId)).toEqual(['c']);
      expect(
        (await store.alerts.list({ limit: 9, checkId: 'a', states: ['active'] })).map((alert) => alert.checkId),
      ).toEqual(['a']);
      expect(await store.alerts.list({ limit: 9, states: ['resolved'] })).toEqual([]);
      expect(await store.alerts.list({ limit: 9, since: T0 - 90_000 })).toHaveLength(1);
      const activeCounts = [
        { state: 'active', severity: 'critical', alertname: 'CheckDown', count: 2 },
        { state: 'active', severity: 'warning', alertname: 'CheckSlow', count: 1 },
      ];
      expect(await store.alerts.counts()).toEqual(activeCounts);
      expect(await store.alerts.counts(['active', 'acknowledged'])).toEqual(activeCounts);
      expect(await store.alerts.counts(['acknowledged'])).toEqual([]);
      expect(await store.alerts.counts(['resolved', 'active'])).toEqual(activeCounts);
      expect(await store.alerts.affectedChecks('CheckDown', 10)).toBe(2);
      expect(await store.alerts.affectedChecks('CheckDown', 1)).toBe(1);
      expect((await store.alerts.dueForTimeout(T0 + MINUTE, T0, 10)).map((alert) => alert.checkId).sort()).toEqual([
        'a',
        'b',
      ]);
      expect((await store.alerts.startedBetween(T0 - 150_000, T0, 10)).map((alert) => alert.checkId)).toEqual([
        'b',
        'c',
      ]);

      const pending = await store.alerts.pendingEnrichment(10);
      expect(pending).toHaveLength(3);
      const enrichment = {
        priority: 'P2' as const,
        category: 'availability',
        impact: 'x',
        recommendations: ['y'],
        diagnosis: {
          summary: 'no diagnosis yet',
          probable_cause: null,
          evidence: [],
          recommendations: [],
          confidence: 'low' as const,
          source: 'rules' as const,
          pending: true,
        },
        links: { silence: 'http://am/#/silences/new' },
        enrichedAt: T0,
      };
      await store.alerts.saveEnrichments([{ id: pending[0]!.id, enrichment }]);
      expect(await store.alerts.pendingEnrichment(10)).toHaveLength(2);
      expect((await store.alerts.get(pending[0]!.id))?.enrichment).toEqual(enrichment);
    });

    it('writes each new alert enriched in the ingest, counting the distinct checks with an open alert of its name', async () => {
      const seen: Array<[string | undefined, number]> = [];
      const rule: EnrichmentRule = {
        affectedChecksCap: 3,
        enrich: (alert, affectedChecks) => {
          seen.push([alert.checkId, affectedChecks]);
          return { priority: 'P3', category: 'availability', impact: `${affectedChecks} checks`, enrichedAt: T0 };
        },
      };
      // The receiver keeps the counts between transactions, and hands them to every ingest.
      const enrichment = new AffectedChecks(rule);
      // Two fingerprints of check a (two locations, say) count once; another alert name counts apart.
      await ingestAlerts(
        store.alerts,
        [incoming('a'), incoming('a', { fingerprint: 'fp-a-2' }), incoming('b')],
        plan,
        enrichment,
      );
      await ingestAlerts(
        store.alerts,
        [incoming('x', { labels: { alertname: 'CheckSlow', check: 'x' } })],
        plan,
        enrichment,
      );
      expect(seen).toEqual([
        ['a', 1],
        ['a', 1],
        ['b', 2],
        ['x', 1],
      ]);
      expect(await store.alerts.pendingEnrichment(10)).toEqual([]);

      // A resolved check stops counting; the count stops at the cap.
      await ingestAlerts(
        store.alerts,
        [incoming('b', { status: 'resolved', startsAt: T0 - 10 * MINUTE, endsAt: T0 })],
        plan,
        enrichment,
      );
      seen.length = 0;
      const [first, , , last] = await ingestAlerts(
        store.alerts,
        ['c', 'd', 'e', 'f'].map((check) => incoming(check)),
        plan,
        enrichment,
      );
      expect(seen).toEqual([
        ['c', 2],
        ['d', 3],
        ['e', 3],
        ['f', 3],
      ]);
      expect(first!.alerts[0]!.enrichment).toEqual({
        priority: 'P3',
        category: 'availability',
        impact: '2 checks',
        enrichedAt: T0,
      });
      expect((await store.alerts.get(last!.alerts[0]!.id))?.enrichment?.impact).toBe('3 checks');

      // Repeats keep the enrichment they were written with.
      seen.length = 0;
      await ingestAlerts(store.alerts, [incoming('c', { receivedAt: T0 + MINUTE })], plan, enrichment);
      expect(seen).toEqual([]);
      expect((await store.alerts.get(first!.alerts[0]!.id))?.enrichment?.impact).toBe('2 checks');
    });

    it('prunes closed alerts that ended before the cutoff, with their events, and keeps open ones', async () => {
      await ingest(store.alerts, incoming('old', { status: 'resolved', endsAt: T0 - MINUTE }), incoming('open'));
      expect(await store.alerts.prune(T0)).toBe(1);
      expect((await store.alerts.list({ limit: 9 })).map((alert) => alert.checkId)).toEqual(['open']);
    });

    it('keeps alerts and events across a reopen', async () => {
      await ingest(store.alerts, incoming('web'));
      await store.close();
      const again = await fixture.open();
      expect(await ingest(again.alerts, incoming('web', { receivedAt: T0 + MINUTE }))).toEqual(['duplicate']);
      const [alert] = await again.alerts.list({ limit: 9 });
      expect(await again.alerts.events(alert!.id)).toHaveLength(1);
    });
  });
}
