// Webhook ingest over real HTTP, with payloads in the shape Alertmanager 0.25 sends (two recorded from a real one):
// firing, resolved, grouped, truncated, repeated, an HA twin from a second Alertmanager, and a resolution that
// arrives before its firing. What is asserted is what an admin sees through the API afterwards.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import { match } from '../../helpers/match.js';
import { eventually } from '../../helpers/wait-for.js';
import { ingestAlerts } from '../../helpers/incoming-notification.js';
import { type AlertView, type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification, recorded } from './payloads.js';

const MINUTE = 60_000;

let receiver: ReceiverHarness;

beforeEach(async () => {
  receiver = await startReceiver({ configYml: 'receiver: {dedup_window: 5m}\n' });
});

afterEach(async () => {
  await receiver.stop();
});

/**
 * The receiver refuses an alert that starts over an hour ahead of its clock: for the notifications recorded from a
 * real Alertmanager, the clock is set to when they were sent.
 */
const RECORDED_AT = Date.parse('2026-11-23T02:13:00Z');
const atRecordingTime = (): void => {
  receiver.clock.time = RECORDED_AT;
};

const byCheck = (alerts: AlertView[]) => new Map(alerts.map((each) => [each.check, each]));

describe('recorded Alertmanager notifications', () => {
  it('stores a firing, grouped, truncated notification and answers only then', async () => {
    atRecordingTime();
    const answer = await receiver.post(recorded('am-0.25-firing-truncated'));
    expect(answer).toEqual({
      status: 200,
      body: { status: 'stored', alerts: 2, outcomes: { new: 2 }, truncated_alerts: 1 },
    });
    const alerts = byCheck(await receiver.allAlerts());
    expect([...alerts.keys()].sort()).toEqual(['api_root', 'db']);
    expect(alerts.get('api_root')).toMatchObject({
      fingerprint: '0e35fda092772d3e',
      state: 'active',
      alertname: 'CheckDown',
      severity: 'critical',
      labels: { alertname: 'CheckDown', check: 'api_root', instance: 'x', severity: 'critical' },
      annotations: { summary: 'API root is down' },
      starts_at: '2026-11-23T02:11:50.306Z',
      ends_at: null,
      notification_count: 1,
      receiver: 'test',
    });
  });

  it('closes the alert on the recorded resolution and records its duration', async () => {
    atRecordingTime();
    await receiver.post(recorded('am-0.25-firing-truncated'));
    const answer = await receiver.post(recorded('am-0.25-resolved'));
    expect(answer.body.outcomes).toEqual({ resolved: 1, duplicate: 1 });
    const alerts = byCheck(await receiver.allAlerts());
    expect(alerts.get('api_root')).toMatchObject({
      state: 'resolved',
      ends_at: '2026-11-23T02:12:49.457Z',
      duration_seconds: 59.151,
      resolved: { by: 'alertmanager' },
    });
    expect(alerts.get('db')).toMatchObject({ state: 'active', notification_count: 1 });
  });

  it('enriches each alert after answering: priority, category, impact, recommendations, links, diagnosis, delivery log', async () => {
    atRecordingTime();
    await receiver.post(recorded('am-0.25-firing-truncated'));
    const [first] = await eventually(
      () => receiver.allAlerts(),
      (alerts) =>
        alerts.length === 2 && alerts.every((each) => !each.enrichment_pending && each.diagnosis?.pending !== true),
    );
    const detail = (await receiver.admin(`/api/v1/alerts/${first!.id}`)).body;
    expect(detail).toMatchObject({
      priority: 'P2',
      category: 'availability',
      impact: match.stringContaining('critical availability problem'),
      recommendations: match.arrayContaining([match.stringContaining('vigil probe --once')]),
      // No store shared with a prober here: the alert's labels are all the evidence, and no rule fits them.
      diagnosis: {
        summary: match.stringMatching(/^insufficient evidence: no rule fits /),
        source: 'rules',
        confidence: 'low',
        evidence: match.arrayContaining([match.stringContaining('labels: the alert labels and annotations only')]),
        recommendations: match.arrayContaining([match.stringContaining('vigil probe --once')]),
      },
      links: {
        silence: match.stringMatching(/^http:\/\/vm:44985\/#\/silences\/new\?filter=%7Balertname%3D%22CheckDown%22/),
      },
      events: [match.objectContaining({ kind: 'fired', source: 'alertmanager', notify: true })],
      // No channel has credentials here: the seeds' channels are unconfigured, and the console says what it would send.
      deliveries: [
        match.objectContaining({ channel: 'email', state: 'unconfigured', recipient: null }),
        match.objectContaining({ channel: 'sms', state: 'unconfigured', recipient: null }),
        match.objectContaining({ channel: 'slack', state: 'unconfigured', recipient: null }),
        match.objectContaining({ channel: 'console', recipient: null }),
      ],
    });
  });

  it('has each alert enriched by the time the webhook is answered (one write per alert)', async () => {
    atRecordingTime();
    expect((await receiver.post(recorded('am-0.25-firing-truncated'))).status).toBe(200);
    const alerts = await receiver.allAlerts();
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(alert).toMatchObject({ enrichment_pending: false, priority: 'P2', category: 'availability' });
      expect(alert.links.silence).toMatch(/^http:\/\/vm:44985\/#\/silences\/new\?filter=/);
    }
  });
});

describe('the webhook URL', () => {
  it('takes the spellings a webhook_config url may carry: a query string, a trailing slash, other letter case', async () => {
    const spellings = ['/api/v1/alertmanager?source=am-1', '/api/v1/alertmanager/', '/API/v1/Alertmanager'];
    for (const [index, spelling] of spellings.entries()) {
      const response = await fetch(`${receiver.url}${spelling}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          notification([alert({ labels: down(`spelling_${index}`), startsAt: receiver.clock.now() })]),
        ),
      });
      expect([spelling, response.status]).toEqual([spelling, 200]);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await receiver.allAlerts()).map((each) => each.check).sort()).toEqual([
      'spelling_0',
      'spelling_1',
      'spelling_2',
    ]);
  });

  it('answers other methods on it as not found', async () => {
    const response = await fetch(`${receiver.url}/api/v1/alertmanager`);
    expect(response.status).toBe(404);
  });
});

describe('alerts stored without enrichment (by an older Vigil)', () => {
  it('are enriched in the background once the receiver starts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-legacy-'));
    const store = await SqliteStore.open(path.join(dir, 'vigil.db'));
    try {
      const context = { dedupWindowMs: 5 * MINUTE, newId: randomUUID };
      const now = Date.UTC(2025, 4, 6, 9);
      const labels = { alertname: 'CheckDown', check: 'web', severity: 'critical' };
      await ingestAlerts(
        store.alerts,
        [{ fingerprint: 'legacy', status: 'firing', labels, annotations: {}, startsAt: now - MINUTE, receivedAt: now }],
        (latest, incoming) => planIngest(latest, incoming, context),
      );
      const legacy = await startReceiver({ store });
      try {
        const [stored] = await eventually(
          () => legacy.allAlerts(),
          (alerts) => alerts.length === 1 && !alerts[0]!.enrichment_pending,
        );
        expect(stored).toMatchObject({
          priority: 'P2',
          category: 'availability',
          impact: 'critical availability problem on web',
        });
      } finally {
        await legacy.stop();
      }
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dedup', () => {
  const startsAt = Date.UTC(2025, 4, 6, 8, 55);

  it('keeps one alert with one notification when the same notification comes three times', async () => {
    const payload = notification([alert({ labels: down('web'), startsAt })]);
    for (let i = 0; i < 3; i += 1) {
      receiver.clock.advance(MINUTE);
      expect((await receiver.post(payload)).status).toBe(200);
    }
    const alerts = await receiver.allAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ notification_count: 1, state: 'active' });
    const detail = (await receiver.admin(`/api/v1/alerts/${alerts[0]!.id}`)).body;
    expect(detail.events.map((event) => event.kind)).toEqual(['fired']);
    expect(detail.last_seen_at).toBe(new Date(receiver.clock.now()).toISOString());
  });

  it('counts new firings of an active alert within the dedup window into it', async () => {
    for (let i = 0; i < 3; i += 1) {
      const answer = await receiver.post(
        notification([alert({ labels: down('web'), startsAt: startsAt + i * MINUTE })]),
      );
      expect(answer.body.outcomes).toEqual(i === 0 ? { new: 1 } : { refired: 1 });
      receiver.clock.advance(2 * MINUTE);
    }
    const alerts = await receiver.allAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      notification_count: 3,
      starts_at: new Date(startsAt).toISOString(),
      last_starts_at: new Date(startsAt + 2 * MINUTE).toISOString(),
    });
    const detail = (await receiver.admin(`/api/v1/alerts/${alerts[0]!.id}`)).body;
    expect(detail.events.map((event) => [event.kind, event.notify])).toEqual([
      ['fired', true],
      ['refired', false],
      ['refired', false],
    ]);
  });

  it('opens a new alert for a new firing after the dedup window, closing the old one', async () => {
    await receiver.post(notification([alert({ labels: down('web'), startsAt })]));
    receiver.clock.advance(6 * MINUTE);
    const later = startsAt + 6 * MINUTE;
    const answer = await receiver.post(notification([alert({ labels: down('web'), startsAt: later })]));
    expect(answer.body.outcomes).toEqual({ new: 1 });
    const [newest, oldest] = await receiver.allAlerts();
    expect(newest).toMatchObject({ state: 'active', starts_at: new Date(later).toISOString(), notification_count: 1 });
    expect(oldest).toMatchObject({
      state: 'resolved',
      resolved: { by: 'vigil' },
      ends_at: new Date(later).toISOString(),
    });
  });

  it('treats the same alert from a second Alertmanager of an HA pair as one, even at the same moment', async () => {
    const first = notification([alert({ labels: down('web'), startsAt })], { externalURL: 'http://am-1:9093' });
    const second = notification([alert({ labels: down('web'), startsAt })], {
      externalURL: 'http://am-2:9093',
      receiver: 'vigil-ha',
    });
    const answers = await Promise.all([receiver.post(first), receiver.post(second)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => Object.keys(answer.body.outcomes)[0]).sort()).toEqual(['duplicate', 'new']);
    await receiver.post(
      notification([alert({ labels: down('web'), status: 'resolved', startsAt, endsAt: startsAt + 2 * MINUTE })]),
    );
    const resolvedTwice = await receiver.post(
      notification([alert({ labels: down('web'), status: 'resolved', startsAt, endsAt: startsAt + 2 * MINUTE })], {
        externalURL: 'http://am-2:9093',
      }),
    );
    expect(resolvedTwice.body.outcomes).toEqual({ duplicate: 1 });
    const alerts = await receiver.allAlerts();
    expect(alerts).toHaveLength(1);
    const detail = (await receiver.admin(`/api/v1/alerts/${alerts[0]!.id}`)).body;
    expect(detail.events.filter((event) => event.notify).map((event) => event.kind)).toEqual(['fired', 'resolved']);
  });

  it('stores a resolution that arrives before its firing, and ignores the late firing', async () => {
    const resolved = await receiver.post(
      notification([alert({ labels: down('web'), status: 'resolved', startsAt, endsAt: startsAt + 3 * MINUTE })]),
    );
    expect(resolved.body.outcomes).toEqual({ resolved: 1 });
    const late = await receiver.post(notification([alert({ labels: down('web'), startsAt })]));
    expect(late).toMatchObject({ status: 200, body: { outcomes: { stale: 1 } } });
    const alerts = await receiver.allAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'resolved', duration_seconds: 180, notification_count: 1 });
    const detail = (await receiver.admin(`/api/v1/alerts/${alerts[0]!.id}`)).body;
    expect(detail.events).toEqual([
      match.objectContaining({ kind: 'resolved', detail: match.objectContaining({ resolved_before_firing: true }) }),
    ]);
  });

  it('computes Alertmanager’s fingerprint when the sender leaves it out', async () => {
    atRecordingTime();
    const payload = recorded('am-0.25-firing-truncated');
    for (const each of payload.alerts) delete (each as Partial<typeof each>).fingerprint;
    await receiver.post(payload);
    const fingerprints = (await receiver.allAlerts()).map((each) => each.fingerprint).sort();
    expect(fingerprints).toEqual(['002ffa32d7e4ae0c', '0e35fda092772d3e']);
  });
});
