// Against a real Alertmanager (Debian prometheus-alertmanager): it delivers to the receiver with a bearer token and
// the receiver stores what it sent under Alertmanager's own fingerprint; suppressing an alert creates a silence with
// the alert's labels as exact matchers and the right end; resolving the alert expires that silence.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerServer, startAlertmanager } from '../../helpers/alertmanager-server.js';
import { unusedPort } from '../../helpers/ports.js';
import { eventually } from '../../helpers/wait-for.js';
import {
  type AlertView,
  type ErrorAnswer,
  ManualClock,
  type ReceiverHarness,
  startReceiver,
} from './receiver-harness.js';
import { alert, notification } from './payloads.js';

const TOKEN = 'webhook-token-for-am';
const HOUR = 3_600_000;

let alertmanager: AlertmanagerServer;
let receiver: ReceiverHarness;

beforeAll(async () => {
  // Each needs the other's address: Alertmanager starts first, then the receiver, then Alertmanager is pointed at it.
  alertmanager = await startAlertmanager();
  receiver = await startReceiver({
    // Silences must start now by Alertmanager's clock: the receiver's clock is the real time here.
    clock: new ManualClock(Date.now()),
    configYml: 'alertmanager: {url: "{{ ALERTMANAGER_URL }}"}\n',
    env: { VIGIL_WEBHOOK_TOKEN: TOKEN, ALERTMANAGER_URL: alertmanager.url },
  });
  await alertmanager.reconfigure({ webhookUrl: `${receiver.url}/api/v1/alertmanager`, webhookToken: TOKEN });
}, 60_000);

afterAll(async () => {
  await receiver?.stop();
  await alertmanager?.stop();
});

/** The Alertmanager silence an alert is suppressed with; the test stops here when it carries none. */
function silenceIdOf(alert: AlertView): string {
  const silenceId = alert.suppressed?.silence_id;
  if (typeof silenceId !== 'string')
    throw new Error(`alert ${alert.id} carries no silence id: ${JSON.stringify(alert.suppressed)}`);
  return silenceId;
}

const labels = { alertname: 'CheckDown', check: 'checkout', severity: 'critical', instance: 'shop:443' };

describe('with a real Alertmanager', () => {
  let id: string;

  it('receives what Alertmanager sends, identified by Alertmanager’s fingerprint', async () => {
    await alertmanager.postAlerts([
      { labels, annotations: { summary: 'checkout is down' }, startsAt: new Date(Date.now() - 60_000).toISOString() },
    ]);
    const [stored] = await eventually(
      () => receiver.allAlerts(),
      (alerts) => alerts.length === 1,
      15_000,
    );
    const [held] = await alertmanager.alerts();
    expect(stored).toMatchObject({ fingerprint: held!.fingerprint, labels, state: 'active', receiver: 'test' });
    id = stored!.id;
  });

  it('creates a silence with exact matchers and the right end when an alert is suppressed', async () => {
    const before = receiver.clock.now();
    const answer = await receiver.admin(`/api/v1/alerts/${id}/suppress`, {
      body: { by: 'alice', note: 'maintenance', duration: '2h' },
    });
    expect(answer.status).toBe(200);
    const silenceId = silenceIdOf(answer.body);
    expect(silenceId).toEqual(expect.any(String));
    const silence = await alertmanager.silence(silenceId);
    expect(silence).toMatchObject({ createdBy: 'alice', comment: 'maintenance', status: { state: 'active' } });
    expect(silence!.matchers).toEqual(
      Object.entries(labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
    );
    expect(Date.parse(silence!.endsAt)).toBe(before + 2 * HOUR);
    // Alertmanager itself now mutes the alert with that silence.
    await eventually(
      () => alertmanager.alerts(),
      (alerts) => alerts[0]?.status.silencedBy.includes(silenceId) === true,
    );
  });

  it('expires the silence when the suppressed alert is resolved', async () => {
    const answer = await receiver.admin(`/api/v1/alerts/${id}/resolve`, { body: { by: 'alice' } });
    expect(answer.body.state).toBe('resolved');
    const silence = await alertmanager.silence(silenceIdOf(answer.body));
    expect(silence?.status.state).toBe('expired');
  });

  it('expires the silence when Alertmanager resolves a suppressed alert', async () => {
    const startsAt = Date.now() - 120_000;
    const other = { alertname: 'CheckSlow', check: 'search', severity: 'warning' };
    const token = { authorization: `Bearer ${TOKEN}` };
    await receiver.post(notification([alert({ labels: other, startsAt })]), token);
    const [stored] = await receiver.allAlerts('&check=search');
    const suppressed = await receiver.admin(`/api/v1/alerts/${stored!.id}/suppress`, {
      body: { by: 'bob', duration: '30m' },
    });
    const silenceId = silenceIdOf(suppressed.body);
    expect((await alertmanager.silence(silenceId))?.status.state).toBe('active');
    await receiver.post(
      notification([alert({ labels: other, status: 'resolved', startsAt, endsAt: Date.now() })]),
      token,
    );
    await eventually(
      () => alertmanager.silence(silenceId),
      (silence) => silence?.status.state === 'expired',
    );
  });

  it('answers 502 and leaves the alert as it was when the silence cannot be created', async () => {
    const deadPort = await unusedPort();
    const isolated = await startReceiver({
      clock: new ManualClock(Date.now()),
      configYml: `alertmanager: {url: "http://127.0.0.1:${deadPort}", timeout: 2s}\n`,
    });
    try {
      await isolated.post(notification([alert({ labels, startsAt: Date.now() - 60_000 })]));
      const [stored] = await isolated.allAlerts();
      const answer = await isolated.admin<ErrorAnswer>(`/api/v1/alerts/${stored!.id}/suppress`, {
        body: { by: 'alice' },
      });
      expect(answer.status).toBe(502);
      expect(answer.body.error).toMatch(
        /^could not create the silence in Alertmanager: Alertmanager POST \/api\/v2\/silences failed/,
      );
      expect((await isolated.admin(`/api/v1/alerts/${stored!.id}`)).body).toMatchObject({
        state: 'active',
        suppressed: null,
      });
    } finally {
      await isolated.stop();
    }
  });
});
