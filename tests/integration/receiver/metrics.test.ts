// The receiver's /metrics as Prometheus scrapes it: firing alerts by severity from the store, notifications by
// outcome, store latency; it passes `promtool check metrics`, and label text from alerts cannot add series.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleValue } from '../../helpers/vigil-process.js';
import { type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

let receiver: ReceiverHarness;
const startsAt = Date.UTC(2025, 4, 6, 8, 55);

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.stop();
});

const scrape = async () => (await fetch(`${receiver.url}/metrics`)).text();

describe('receiver /metrics', () => {
  it('counts firing alerts by severity, folding unknown severities into "other"', async () => {
    await receiver.post(
      notification([
        alert({ labels: down('a', 'critical'), startsAt }),
        alert({ labels: down('b', 'critical'), startsAt }),
        alert({ labels: down('c', 'warning'), startsAt }),
        alert({ labels: down('d', 'made-up\nseverity"}'), startsAt }),
        alert({ labels: { alertname: 'NoSeverity', check: 'e' }, startsAt }),
      ]),
    );
    let text = await scrape();
    expect(sampleValue(text, 'uptime_alert_count', { severity: 'critical' })).toBe(2);
    expect(sampleValue(text, 'uptime_alert_count', { severity: 'warning' })).toBe(1);
    expect(sampleValue(text, 'uptime_alert_count', { severity: 'other' })).toBe(1);
    expect(sampleValue(text, 'uptime_alert_count', { severity: 'none' })).toBe(1);
    expect(sampleValue(text, 'uptime_alert_count', { severity: 'info' })).toBe(0);
    expect(text).not.toContain('made-up');

    await receiver.post(notification([alert({ labels: down('a', 'critical'), status: 'resolved', startsAt })]));
    const [suppressed] = await receiver.allAlerts('&check=b');
    await receiver.admin(`/api/v1/alerts/${suppressed!.id}/suppress`, { body: { by: 'ops' } });
    text = await scrape();
    expect(sampleValue(text, 'uptime_alert_count', { severity: 'critical' })).toBe(0);
  });

  it('counts notifications and alerts by outcome, and times the store', async () => {
    await receiver.post('not json');
    const text = await scrape();
    expect(sampleValue(text, 'uptime_receiver_notifications_total', { outcome: 'accepted' })).toBe(2);
    expect(sampleValue(text, 'uptime_receiver_notifications_total', { outcome: 'invalid' })).toBe(1);
    expect(sampleValue(text, 'uptime_receiver_notifications_total', { outcome: 'store_unavailable' })).toBe(0);
    expect(sampleValue(text, 'uptime_receiver_alerts_total', { outcome: 'new' })).toBe(5);
    expect(sampleValue(text, 'uptime_receiver_alerts_total', { outcome: 'resolved' })).toBe(1);
    expect(sampleValue(text, 'uptime_receiver_store_duration_seconds_count', { operation: 'ingest' })).toBe(2);
  });

  it('shows the same counts as uptime_alerts_active, the name promtool accepts', async () => {
    const text = await scrape();
    for (const severity of ['critical', 'warning', 'info', 'none', 'other']) {
      const twin = sampleValue(text, 'uptime_alerts_active', { severity });
      expect(twin, severity).toBeDefined();
      expect(twin).toBe(sampleValue(text, 'uptime_alert_count', { severity }));
    }
    expect(sampleValue(text, 'uptime_alerts_active', { severity: 'warning' })).toBe(1);
    expect(text).toContain('# TYPE uptime_alerts_active gauge');
  });

  // CONTRACT section 4 fixes the name `uptime_alert_count`, which promtool's lint flags for its `_count` suffix
  // (a name histograms use). That one complaint is expected; any other fails the test.
  it('passes promtool check metrics but for the contract name uptime_alert_count', async () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: await scrape(), encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    const problems = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
    expect(problems).toEqual([
      'uptime_alert_count non-histogram and non-summary metrics should not have "_count" suffix',
    ]);
  });
});
