// The delivery metrics as Prometheus scrapes them: messages by channel and outcome (configured channels at zero from
// the start), delivery time from acceptance, outbox jobs by channel and state read at scrape time (a state that
// empties reads 0, a failed count keeps the last values), and the lot passes `promtool check metrics`.

import { spawnSync } from 'node:child_process';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DeliveryMetrics } from '../../../src/metrics/delivery-metrics.js';
import type { OutboxCount } from '../../../src/store/outbox-store.js';
import { sampleValue } from '../../helpers/vigil-process.js';

function setup(counts: () => Promise<OutboxCount[]>) {
  const registry = new Registry();
  const metrics = new DeliveryMetrics({
    registry,
    outbox: { counts },
    logger: pino({ level: 'silent' }),
    channels: ['email', 'slack'],
  });
  return { registry, metrics };
}

describe('DeliveryMetrics', () => {
  it('shows every configured channel and outcome at zero before anything happens', async () => {
    const { registry } = setup(() => Promise.resolve([]));
    const text = await registry.metrics();
    for (const channel of ['email', 'slack']) {
      for (const outcome of ['sent', 'retry', 'dead', 'unconfigured']) {
        expect(sampleValue(text, 'vigil_notifications_total', { channel, outcome })).toBe(0);
      }
      expect(sampleValue(text, 'vigil_notification_delivery_seconds_count', { channel })).toBe(0);
      expect(sampleValue(text, 'vigil_outbox_jobs', { channel, state: 'pending' })).toBe(0);
    }
  });

  it('counts outcomes and observes the time from acceptance to sending', async () => {
    const { registry, metrics } = setup(() => Promise.resolve([]));
    metrics.sent('slack', 10_000, 10_300);
    metrics.sent('slack', 10_000, 10_000 + 45 * 60_000);
    metrics.retried('slack');
    metrics.dead('email');
    metrics.unconfigured('sms', 2);
    const text = await registry.metrics();
    expect(sampleValue(text, 'vigil_notifications_total', { channel: 'slack', outcome: 'sent' })).toBe(2);
    expect(sampleValue(text, 'vigil_notifications_total', { channel: 'slack', outcome: 'retry' })).toBe(1);
    expect(sampleValue(text, 'vigil_notifications_total', { channel: 'email', outcome: 'dead' })).toBe(1);
    expect(sampleValue(text, 'vigil_notifications_total', { channel: 'sms', outcome: 'unconfigured' })).toBe(2);
    expect(sampleValue(text, 'vigil_notification_delivery_seconds_bucket', { channel: 'slack', le: '0.5' })).toBe(1);
    expect(sampleValue(text, 'vigil_notification_delivery_seconds_bucket', { channel: 'slack', le: '1800' })).toBe(1);
    expect(sampleValue(text, 'vigil_notification_delivery_seconds_bucket', { channel: 'slack', le: '3600' })).toBe(2);
    expect(sampleValue(text, 'vigil_notification_delivery_seconds_sum', { channel: 'slack' })).toBe(2700.3);
  });

  it('reads the outbox gauge from the store at each scrape; an emptied state reads 0, a failed read keeps the last', async () => {
    let answer: () => Promise<OutboxCount[]> = () =>
      Promise.resolve([
        { channel: 'slack', state: 'pending', count: 3 },
        { channel: 'webhook', state: 'dead', count: 1 },
      ]);
    const { registry } = setup(() => answer());
    let text = await registry.metrics();
    expect(sampleValue(text, 'vigil_outbox_jobs', { channel: 'slack', state: 'pending' })).toBe(3);
    expect(sampleValue(text, 'vigil_outbox_jobs', { channel: 'webhook', state: 'dead' })).toBe(1);

    answer = () => Promise.resolve([{ channel: 'slack', state: 'sent', count: 3 }]);
    text = await registry.metrics();
    expect(sampleValue(text, 'vigil_outbox_jobs', { channel: 'slack', state: 'pending' })).toBe(0);
    expect(sampleValue(text, 'vigil_outbox_jobs', { channel: 'slack', state: 'sent' })).toBe(3);
    expect(sampleValue(text, 'vigil_outbox_jobs', { channel: 'webhook', state: 'dead' })).toBe(0);

    answer = () => Promise.reject(new Error('database is locked'));
    text = await registry.metrics();
    expect(sampleValue(text, 'vigil_outbox_jobs', { channel: 'slack', state: 'sent' })).toBe(3);
  });

  it('passes promtool check metrics', async () => {
    const { registry, metrics } = setup(() => Promise.resolve([{ channel: 'slack', state: 'pending', count: 1 }]));
    metrics.sent('slack', 0, 1_500);
    const result = spawnSync('promtool', ['check', 'metrics'], { input: await registry.metrics(), encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });
});
