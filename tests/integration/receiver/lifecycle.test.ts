// The alert lifecycle through the admin API: acknowledge, resolve and suppress with who, when and a note; refused
// transitions; the end of a suppression; expiry of alerts Alertmanager stopped re-sending. The clock is the
// harness's, so "an hour later" takes no time.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { match } from '../../helpers/match.js';
import { eventually } from '../../helpers/wait-for.js';
import { type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let receiver: ReceiverHarness;
const startsAt = Date.UTC(2025, 4, 6, 8, 30);

beforeEach(async () => {
  receiver = await startReceiver({ configYml: 'receiver: {alert_ttl: 1h, dedup_window: 5m}\n' });
});

afterEach(async () => {
  await receiver.stop();
});

async function fire(check = 'web', starts = startsAt): Promise<string> {
  await receiver.post(notification([alert({ labels: down(check), startsAt: starts })]));
  const [newest] = await receiver.allAlerts(`&check=${check}`);
  return newest!.id;
}

const iso = (ms: number) => new Date(ms).toISOString();
const kinds = async (id: string) =>
  (await receiver.admin(`/api/v1/alerts/${id}`)).body.events.map((event) => event.kind);

describe('acknowledge and resolve', () => {
  it('records who acknowledged, when and why, then who resolved it', async () => {
    const id = await fire();
    receiver.clock.advance(4 * MINUTE);
    const acked = await receiver.admin(`/api/v1/alerts/${id}/acknowledge`, { body: { by: 'alice', note: 'looking' } });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      state: 'acknowledged',
      acknowledged: { by: 'alice', note: 'looking', at: iso(receiver.clock.now()) },
    });

    receiver.clock.advance(10 * MINUTE);
    const resolved = await receiver.admin(`/api/v1/alerts/${id}/resolve`, { body: { by: 'bob' } });
    expect(resolved.body).toMatchObject({
      state: 'resolved',
      resolved: { by: 'bob', note: null, at: iso(receiver.clock.now()) },
      ends_at: iso(receiver.clock.now()),
      duration_seconds: (receiver.clock.now() - startsAt) / 1000,
    });
    expect(resolved.body.events.map((event) => [event.kind, event.source, event.actor])).toEqual([
      ['fired', 'alertmanager', null],
      ['acknowledged', 'user', 'alice'],
      ['resolved', 'user', 'bob'],
    ]);
  });

  it('refuses transitions the lifecycle does not allow with 409 and the current state', async () => {
    const id = await fire();
    await receiver.admin(`/api/v1/alerts/${id}/acknowledge`, { body: { by: 'alice' } });
    expect(await receiver.admin(`/api/v1/alerts/${id}/acknowledge`, { body: { by: 'carol' } })).toEqual({
      status: 409,
      body: { error: 'the alert is acknowledged; only active alerts can be acknowledged', state: 'acknowledged' },
    });
    await receiver.admin(`/api/v1/alerts/${id}/resolve`, { body: { by: 'alice' } });
    for (const action of ['acknowledge', 'resolve', 'suppress']) {
      const answer = await receiver.admin(`/api/v1/alerts/${id}/${action}`, { body: { by: 'carol' } });
      expect(answer).toMatchObject({ status: 409, body: { state: 'resolved' } });
    }
    expect(await kinds(id)).toEqual(['fired', 'acknowledged', 'resolved']);
  });

  it('answers 404 for an unknown alert and 400 for a body without `by`', async () => {
    expect((await receiver.admin('/api/v1/alerts/nope/acknowledge', { body: { by: 'alice' } })).status).toBe(404);
    expect((await receiver.admin('/api/v1/alerts/nope')).status).toBe(404);
    const id = await fire();
    expect(await receiver.admin(`/api/v1/alerts/${id}/acknowledge`, { body: { note: 'who am I' } })).toEqual({
      status: 400,
      body: { error: 'by: is required' },
    });
    expect((await receiver.admin(`/api/v1/alerts/${id}/acknowledge`, { body: { by: 'x', extra: 1 } })).body).toEqual({
      error: 'extra: is not a field this endpoint takes',
    });
    expect(
      (await receiver.admin(`/api/v1/alerts/${id}/suppress`, { body: { by: 'x', duration: 'forever' } })).body,
    ).toEqual({
      error: 'duration: must be a duration from 1m to 90d like 30m or 4h',
    });
    expect((await receiver.admin(`/api/v1/alerts/${id}`)).body.state).toBe('active');
  });
});

describe('suppress', () => {
  it('suppresses for the duration (no silence without Alertmanager), then returns the alert to active', async () => {
    const id = await fire();
    const suppressed = await receiver.admin(`/api/v1/alerts/${id}/suppress`, {
      body: { by: 'alice', note: 'deploy', duration: '2h' },
    });
    expect(suppressed.body).toMatchObject({
      state: 'suppressed',
      suppressed: { by: 'alice', note: 'deploy', until: iso(receiver.clock.now() + 2 * HOUR), silence_id: null },
    });
    // A new firing within the window is still counted, and the alert stays suppressed.
    receiver.clock.advance(MINUTE);
    await receiver.post(notification([alert({ labels: down('web'), startsAt: startsAt + MINUTE })]));
    expect((await receiver.admin(`/api/v1/alerts/${id}`)).body).toMatchObject({
      state: 'suppressed',
      notification_count: 2,
    });

    receiver.clock.advance(2 * HOUR);
    const back = await eventually(
      () => receiver.admin(`/api/v1/alerts/${id}`),
      (answer) => answer.body.state === 'active',
    );
    expect(back.body.events.map((event) => event.kind)).toEqual(['fired', 'suppressed', 'refired', 'unsuppressed']);
  });
});

describe('expiry', () => {
  it('expires an active alert Alertmanager stopped re-sending for the TTL, and reopens it if it comes back', async () => {
    const id = await fire();
    receiver.clock.advance(50 * MINUTE);
    // Alertmanager's repeat: the same firing refreshes the alert, so the TTL starts over.
    await receiver.post(notification([alert({ labels: down('web'), startsAt })]));
    receiver.clock.advance(50 * MINUTE);
    await receiver.role.receiver.sweeper.sweep();
    expect((await receiver.admin(`/api/v1/alerts/${id}`)).body.state).toBe('active');

    receiver.clock.advance(11 * MINUTE);
    const expired = await eventually(
      () => receiver.admin(`/api/v1/alerts/${id}`),
      (answer) => answer.body.state === 'expired',
    );
    expect(expired.body).toMatchObject({
      ends_at: match.any(String),
      resolved: { by: 'vigil', note: match.stringMatching(/60 minutes/) },
    });
    expect(expired.body.events.at(-1)).toMatchObject({ kind: 'expired', source: 'system', notify: true });

    const again = await receiver.post(notification([alert({ labels: down('web'), startsAt })]));
    expect(again.body.outcomes).toEqual({ reopened: 1 });
    expect((await receiver.admin(`/api/v1/alerts/${id}`)).body).toMatchObject({
      state: 'active',
      ends_at: null,
      resolved: null,
    });
  });

  it('expires acknowledged alerts too, but never resolved ones', async () => {
    const acked = await fire('web');
    const resolved = await fire('api');
    await receiver.admin(`/api/v1/alerts/${acked}/acknowledge`, { body: { by: 'alice' } });
    await receiver.admin(`/api/v1/alerts/${resolved}/resolve`, { body: { by: 'alice' } });
    receiver.clock.advance(2 * HOUR);
    await eventually(
      () => receiver.admin(`/api/v1/alerts/${acked}`),
      (answer) => answer.body.state === 'expired',
    );
    expect((await receiver.admin(`/api/v1/alerts/${resolved}`)).body.state).toBe('resolved');
  });
});

describe('retention', () => {
  it('deletes closed alerts that ended longer ago than retention.alerts, and keeps open ones', async () => {
    // Its own receiver: a TTL longer than the days that pass here, so only retention acts.
    const keeping = await startReceiver({ configYml: 'receiver: {alert_ttl: 30d}\nretention: {alerts: 1d}\n' });
    try {
      await keeping.post(
        notification([alert({ labels: down('web'), startsAt }), alert({ labels: down('api'), startsAt })]),
      );
      const ids = new Map((await keeping.allAlerts()).map((each) => [each.check, each.id]));
      await keeping.admin(`/api/v1/alerts/${ids.get('web')}/resolve`, { body: { by: 'alice' } });
      keeping.clock.advance(23 * HOUR);
      expect(await keeping.role.receiver.retention.runOnce()).toBe(0);
      keeping.clock.advance(2 * HOUR);
      expect(await keeping.role.receiver.retention.runOnce()).toBe(1);
      expect((await keeping.admin(`/api/v1/alerts/${ids.get('web')}`)).status).toBe(404);
      expect((await keeping.admin(`/api/v1/alerts/${ids.get('api')}`)).body.state).toBe('active');
    } finally {
      await keeping.stop();
    }
  });
});
