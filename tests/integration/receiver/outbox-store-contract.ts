// What every outbox backend does, registered once per backend beside the alert store contract: an ingest with a
// notification planner writes the group's state, the notification and its jobs in the alert transaction (or nothing,
// when planning fails); workers claim due jobs under a lease, a lease that ran out is taken again and the worker that
// lost it writes nothing; two replicas never claim the same job nor plan the same group at once; counts, the alert's
// delivery log, and pruning that never deletes a job a worker may still take.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { IncomingAlert, IncomingNotification } from '../../../src/model/alert.js';
import type { ClaimedDelivery, DeliveryRecord, PlannedDestination } from '../../../src/model/delivery.js';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';
import type { IngestPlanners, NotificationPlanner } from '../../../src/store/alert-store.js';
import type { Store } from '../../../src/store/store.js';
import { listedAlert } from '../../../src/model/notification.js';
import { notificationOf } from '../../helpers/incoming-notification.js';
import { alertOf, notificationOf as bodyOf } from '../../helpers/notification-fixtures.js';
import { type AlertStoreFixture, type AlertStoreHarness, MINUTE, T0, incoming } from './alert-store-contract.js';

const LEASE = MINUTE;
const GROUP = '{}:{alertname="CheckDown"}';
const context = { dedupWindowMs: 5 * MINUTE, newId: randomUUID };

const SLACK: PlannedDestination = { channel: 'slack', state: 'pending' };
const EMAIL_ANN: PlannedDestination = { channel: 'email', recipient: 'ann@example.com', state: 'pending' };
const SMS_UNCONFIGURED: PlannedDestination = {
  channel: 'sms',
  recipient: '+15550100',
  state: 'unconfigured',
  reason: 'set TWILIO_ACCOUNT_SID',
};

/** A webhook notification of the group (or another one) received at `at`. */
function webhook(alerts: IncomingAlert[], at = T0, groupKey = GROUP): IncomingNotification {
  return notificationOf(
    alerts.map((alert) => ({ ...alert, receivedAt: at })),
    { groupKey, receivedAt: at },
  );
}

/**
 * Sends to `destinations` whenever the group's set of open alerts (or its status) changes, as the receiver's planner
 * does; the body lists the alerts as this fixture makes them, which the store keeps by id and status only.
 */
function plannerTo(destinations: readonly PlannedDestination[]): NotificationPlanner {
  return (stored, group, alerts) => {
    const open = alerts.filter((alert) => alert.state === 'active').map((alert) => alert.fingerprint);
    const stateKey = `${group.status}:${open.join(',')}`;
    if (stored?.stateKey === stateKey) return undefined;
    const sequence = (stored?.sequence ?? 0) + 1;
    const groupKey = group.groupKey!;
    const firingSince = group.status === 'firing' ? (stored?.firingSince ?? group.receivedAt) : undefined;
    return {
      group: {
        groupKey,
        stateKey,
        status: group.status,
        sequence,
        notifiedAt: group.receivedAt,
        ...(firingSince === undefined ? {} : { firingSince }),
      },
      send: {
        id: `${groupKey}#${sequence}`,
        notification: bodyOf(
          alerts.map((alert, index) => alertOf(index, { id: alert.id, labels: alert.labels })),
          { groupKey, stateKey, status: group.status, acceptedAt: group.receivedAt },
        ),
        alertIds: alerts.map((alert) => alert.id),
        destinations,
      },
    };
  };
}

function planners(destinations: readonly PlannedDestination[] = [SLACK]): IngestPlanners {
  return { alert: (latest, alert) => planIngest(latest, alert, context), notification: plannerTo(destinations) };
}

/** Ingests and answers the ids of the alerts written, in order. */
async function accept(store: Store, notification: IncomingNotification, destinations?: PlannedDestination[]) {
  const [applied] = await store.alerts.ingest([notification], planners(destinations));
  return { ids: applied!.changes.flatMap((change) => change.alerts.map((alert) => alert.id)), plan: applied!.plan };
}

const ids = (claimed: readonly ClaimedDelivery[]) => claimed.map((job) => job.id);
const states = (records: readonly DeliveryRecord[]) => records.map((record) => `${record.channel}:${record.state}`);

export function registerOutboxStoreContract(harness: AlertStoreHarness): void {
  describe(`${harness.backend} outbox store`, () => {
    let fixture: AlertStoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await harness.create();
      store = await fixture.open();
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    it("writes the group's state, the notification and one job per destination with the alerts", async () => {
      // An untrusted label with a NUL, which must come back byte for byte.
      const odd = { ...incoming('a'), labels: { ...incoming('a').labels, odd: 'a\u0000b' } };
      const { ids: alertIds, plan } = await accept(store, webhook([odd, incoming('b')]), [
        SLACK,
        EMAIL_ANN,
        SMS_UNCONFIGURED,
      ]);
      expect(plan?.send?.id).toBe(`${GROUP}#1`);

      const log = await store.outbox.deliveriesOf(alertIds[0]!);
      const fresh = { notificationId: `${GROUP}#1`, attempts: 0, acceptedAt: T0 };
      expect(log).toEqual([
        { id: log[0]!.id, ...fresh, channel: 'slack', state: 'pending', nextAttemptAt: T0 },
        {
          id: log[1]!.id,
          ...fresh,
          channel: 'email',
          recipient: 'ann@example.com',
          state: 'pending',
          nextAttemptAt: T0,
        },
        {
          id: log[2]!.id,
          ...fresh,
          channel: 'sms',
          recipient: '+15550100',
          state: 'unconfigured',
          lastError: 'set TWILIO_ACCOUNT_SID',
        },
      ]);
      expect(await store.outbox.deliveriesOf(alertIds[1]!)).toEqual(log);
      expect(await store.outbox.deliveriesOf('no-such-alert')).toEqual([]);
      expect(await store.outbox.counts()).toEqual([
        { channel: 'email', state: 'pending', count: 1 },
        { channel: 'slack', state: 'pending', count: 1 },
      ]);

      const [claimed] = await store.outbox.claim('slack', T0, LEASE, 10);
      expect(claimed).toMatchObject({ id: log[0]!.id, attempt: 1, channel: 'slack', acceptedAt: T0 });
      // The notification as planned, each alert it lists read from the alert's row with its status then.
      const stored = await Promise.all(alertIds.map(async (id) => (await store.alerts.get(id))!));
      expect(claimed?.notification).toEqual({
        ...plan?.send?.notification,
        alerts: stored.map((alert) => listedAlert(alert, 'firing')),
      });
      expect(claimed?.notification.alerts[0]?.labels['odd']).toBe('a\u0000b');
      // Taken: no longer waiting for an attempt.
      expect((await store.outbox.deliveriesOf(alertIds[0]!))[0]).toEqual({
        ...log[0],
        state: 'sending',
        attempts: 1,
        nextAttemptAt: undefined,
      });
      const [email] = await store.outbox.claim('email', T0, LEASE, 10);
      expect(email?.recipient).toBe('ann@example.com');
      // No worker ever takes an unconfigured job.
      expect(await store.outbox.claim('sms', T0 + 60 * MINUTE, LEASE, 10)).toEqual([]);
      expect(await store.outbox.nextDue('sms')).toBeUndefined();
    });

    it("reads the group's state back: a re-delivery sends nothing, a change sends the next message", async () => {
      await accept(store, webhook([incoming('a')]));
      const again = await accept(store, webhook([incoming('a')], T0 + MINUTE));
      expect(again.plan).toBeUndefined();
      const more = await accept(store, webhook([incoming('a'), incoming('b')], T0 + 2 * MINUTE));
      expect(more.plan?.group).toEqual({
        groupKey: GROUP,
        stateKey: 'firing:fp-a,fp-b',
        status: 'firing',
        sequence: 2,
        notifiedAt: T0 + 2 * MINUTE,
        firingSince: T0,
      });
      // Notifications of several groups in one ingest each get their own state and jobs.
      await store.alerts.ingest(
        [webhook([incoming('c')], T0 + 3 * MINUTE, 'other'), webhook([incoming('b')], T0 + 3 * MINUTE)],
        planners(),
      );
      const claimed = await store.outbox.claim('slack', T0 + 3 * MINUTE, LEASE, 10);
      expect(claimed.map((job) => [job.notification.groupKey, job.notification.stateKey])).toEqual([
        [GROUP, 'firing:fp-a'],
        [GROUP, 'firing:fp-a,fp-b'],
        ['other', 'firing:fp-c'],
        [GROUP, 'firing:fp-b'],
      ]);
    });

    it('writes nothing at all when planning the notification throws', async () => {
      const failing: NotificationPlanner = () => {
        throw new Error('no route for the group');
      };
      await expect(
        store.alerts.ingest([webhook([incoming('a')])], { ...planners(), notification: failing }),
      ).rejects.toThrow(/no route/);
      expect(await store.alerts.list({ limit: 10 })).toEqual([]);
      expect(await store.outbox.counts()).toEqual([]);
      // Nor did a group state survive: the next delivery is planned as the group's first.
      expect((await accept(store, webhook([incoming('a')]))).plan?.group.sequence).toBe(1);
    });

    it('claims due jobs oldest first under a lease, takes a job again once its lease ran out, and ignores the lost lease', async () => {
      for (const [index, check] of ['a', 'b', 'c'].entries()) {
        await accept(store, webhook([incoming(check)], T0 + index * MINUTE, `group-${check}`));
      }
      expect(await store.outbox.claim('slack', T0 - 1, LEASE, 10)).toEqual([]);
      const first = await store.outbox.claim('slack', T0 + 5 * MINUTE, LEASE, 2);
      expect(first.map((job) => [job.notification.groupKey, job.attempt])).toEqual([
        ['group-a', 1],
        ['group-b', 1],
      ]);
      // Leased: only the third is left to take.
      const second = await store.outbox.claim('slack', T0 + 5 * MINUTE, LEASE, 10);
      expect(second.map((job) => job.notification.groupKey)).toEqual(['group-c']);
      expect(await store.outbox.nextDue('slack')).toBe(T0 + 5 * MINUTE + LEASE);
      expect(await store.outbox.counts()).toEqual([{ channel: 'slack', state: 'sending', count: 3 }]);

      // The first worker died: its leases run out and another worker takes the jobs, as a second attempt.
      const retaken = await store.outbox.claim('slack', T0 + 5 * MINUTE + LEASE, LEASE, 10);
      expect(retaken.map((job) => [job.id, job.attempt])).toEqual([
        [first[0]!.id, 2],
        [first[1]!.id, 2],
        [second[0]!.id, 2],
      ]);
      expect(await store.outbox.finish(first[0]!.id, 1, { kind: 'sent', at: T0 + 6 * MINUTE })).toBe(false);
      expect(
        await store.outbox.finish(first[0]!.id, 2, { kind: 'sent', at: T0 + 7 * MINUTE, providerId: 'msg-1' }),
      ).toBe(true);
      // Recorded once: a second result for the same attempt writes nothing.
      expect(await store.outbox.finish(first[0]!.id, 2, { kind: 'dead', at: T0 + 8 * MINUTE, error: 'x' })).toBe(false);
      expect(await store.outbox.finish(12_345, 1, { kind: 'sent', at: T0 })).toBe(false);
      const [alert] = await store.alerts.list({ checkId: 'a', limit: 1 });
      expect(await store.outbox.deliveriesOf(alert!.id)).toEqual([
        {
          id: first[0]!.id,
          notificationId: 'group-a#1',
          channel: 'slack',
          state: 'sent',
          attempts: 2,
          acceptedAt: T0,
          sentAt: T0 + 7 * MINUTE,
          providerId: 'msg-1',
        },
      ]);
    });

    it('puts a retried job back to wait for its next attempt, and records a dead one with its reason', async () => {
      const { ids: alertIds } = await accept(store, webhook([incoming('a')]), [SLACK, EMAIL_ANN]);
      const [slack] = await store.outbox.claim('slack', T0, LEASE, 1);
      const [email] = await store.outbox.claim('email', T0, LEASE, 1);
      const retryAt = T0 + 2 * MINUTE;
      expect(
        await store.outbox.finish(slack!.id, 1, {
          kind: 'retry',
          at: T0 + 1,
          nextAttemptAt: retryAt,
          error: 'HTTP 503',
        }),
      ).toBe(true);
      expect(await store.outbox.finish(email!.id, 1, { kind: 'dead', at: T0 + 1, error: '550 no such user' })).toBe(
        true,
      );
      expect(await store.outbox.nextDue('slack')).toBe(retryAt);
      expect(await store.outbox.nextDue('email')).toBeUndefined();
      expect(await store.outbox.claim('slack', retryAt - 1, LEASE, 1)).toEqual([]);
      expect(await store.outbox.claim('email', T0 + 60 * MINUTE, LEASE, 1)).toEqual([]);

      const [again] = await store.outbox.claim('slack', retryAt, LEASE, 1);
      expect(again).toMatchObject({ id: slack!.id, attempt: 2 });
      await store.outbox.finish(slack!.id, 2, { kind: 'sent', at: retryAt + 1 });
      const log = await store.outbox.deliveriesOf(alertIds[0]!);
      expect(log.map((record) => [record.channel, record.state, record.attempts, record.lastError])).toEqual([
        // A success keeps the reason of the failure before it.
        ['slack', 'sent', 2, 'HTTP 503'],
        ['email', 'dead', 1, '550 no such user'],
      ]);
      expect(log[0]?.nextAttemptAt).toBeUndefined();
      expect(await store.outbox.counts()).toEqual([{ channel: 'email', state: 'dead', count: 1 }]);
    });

    it('never hands the same job to two replicas claiming at once', async () => {
      const replicas = [store, await fixture.open(), await fixture.open()];
      const recipients = ['#ops', '#dev', '#sre', '#db', '#web', '#api'];
      for (let group = 0; group < 10; group += 1) {
        await accept(
          store,
          webhook([incoming(`c${group}`)], T0, `group-${group}`),
          recipients.map((recipient) => ({ channel: 'slack', recipient, state: 'pending' })),
        );
      }
      const taken: number[] = [];
      for (;;) {
        // Three claims per replica at once: as many as its connections.
        const claims = await Promise.all(
          [...replicas, ...replicas, ...replicas].map((replica) => replica.outbox.claim('slack', T0, LEASE, 4)),
        );
        if (claims.every((claim) => claim.length === 0)) break;
        taken.push(...claims.flatMap(ids));
      }
      expect(taken).toHaveLength(60);
      expect(new Set(taken).size).toBe(60);
    });

    it('lets two replicas plan the same group at once, one after the other', async () => {
      const replica = await fixture.open();
      // Different alerts, so only the group's lock keeps the two plans apart.
      const [first, second] = await Promise.all([
        accept(store, webhook([incoming('a')])),
        accept(replica, webhook([incoming('b')])),
      ]);
      expect([first.plan?.group.sequence, second.plan?.group.sequence].sort()).toEqual([1, 2]);
      expect(await store.outbox.counts()).toEqual([{ channel: 'slack', state: 'pending', count: 2 }]);
    });

    it('prunes finished notifications before the cutoff with their jobs, never a job a worker may still take', async () => {
      const old = await accept(store, webhook([incoming('old', { status: 'resolved', endsAt: T0 })], T0, 'old'));
      const waiting = await accept(store, webhook([incoming('waiting')], T0, 'waiting'), [SLACK, SMS_UNCONFIGURED]);
      const later = T0 + 60 * MINUTE;
      const recent = await accept(store, webhook([incoming('recent')], later, 'recent'));
      const [oldJob] = await store.outbox.claim('slack', T0, LEASE, 1);
      expect(oldJob?.notification.groupKey).toBe('old');
      await store.outbox.finish(oldJob!.id, 1, { kind: 'sent', at: T0 + 1 });

      // The old alert is closed and goes; the waiting notification's alert is open, and its Slack job is pending.
      expect(await store.alerts.prune(T0 + 30 * MINUTE)).toBe(1);
      expect(await store.outbox.deliveriesOf(old.ids[0]!)).toEqual([]);
      expect(states(await store.outbox.deliveriesOf(waiting.ids[0]!))).toEqual(['slack:pending', 'sms:unconfigured']);
      expect(states(await store.outbox.deliveriesOf(recent.ids[0]!))).toEqual(['slack:pending']);
      expect(await store.outbox.counts()).toEqual([{ channel: 'slack', state: 'pending', count: 2 }]);
      // The resolved group with no notification left is forgotten: Alertmanager sending it again is news.
      expect(
        (await accept(store, webhook([incoming('old2', { status: 'resolved', endsAt: T0 })], later, 'old'))).plan?.group
          .sequence,
      ).toBe(1);
      // The firing group is remembered.
      expect((await accept(store, webhook([incoming('waiting')], later, 'waiting'))).plan).toBeUndefined();

      // Once its last job is finished, the waiting notification goes at the next prune.
      const [job] = await store.outbox.claim('slack', later, LEASE, 1);
      expect(job?.notification.groupKey).toBe('waiting');
      await store.outbox.finish(job!.id, 1, { kind: 'dead', at: later, error: 'gave up' });
      await store.alerts.prune(T0 + 30 * MINUTE);
      expect(await store.outbox.deliveriesOf(waiting.ids[0]!)).toEqual([]);
      expect(states(await store.outbox.deliveriesOf(recent.ids[0]!))).toEqual(['slack:pending']);
    });

    it('keeps jobs, leases and group states across a reopen', async () => {
      await accept(store, webhook([incoming('a')]));
      const [claimed] = await store.outbox.claim('slack', T0, LEASE, 1);
      await store.close();
      const again = await fixture.open();
      expect(await again.outbox.claim('slack', T0, LEASE, 1)).toEqual([]);
      expect(await again.outbox.finish(claimed!.id, 1, { kind: 'sent', at: T0 + 1 })).toBe(true);
      expect((await accept(again, webhook([incoming('a')], T0 + MINUTE))).plan).toBeUndefined();
    });
  });
}
