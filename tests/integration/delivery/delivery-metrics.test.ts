// The delivery metrics on the receiver's /metrics after one notification to three channels that fare differently:
// email sent at once, Slack sent after a 500, SMS refused for good.

import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../helpers/vigil-process.js';
import { firing, group, serviceDown, useDeliveryHarness } from './delivery-harness.js';

const harness = useDeliveryHarness();

describe('delivery metrics', () => {
  it('count messages by channel and outcome, time the sent ones and show the jobs left in the outbox', async () => {
    harness.slack.queued.push({ status: 500, body: 'internal_error' });
    harness.twilio.answer = { status: 400, body: JSON.stringify({ status: 400, code: 21211, message: 'Invalid' }) };
    await harness.post(group('metrics', [firing(harness.receiver, serviceDown('metrics'))]));
    await harness.settledDeliveries('metrics');

    const metrics = await harness.metrics();
    const notifications = (channel: string, outcome: string) =>
      sampleValue(metrics, 'vigil_notifications_total', { channel, outcome });
    expect(notifications('email', 'sent')).toBe(1);
    expect(notifications('email', 'retry')).toBe(0);
    expect(notifications('slack', 'retry')).toBe(1);
    expect(notifications('slack', 'sent')).toBe(1);
    expect(notifications('sms', 'dead')).toBe(1);
    expect(notifications('sms', 'sent')).toBe(0);

    const sentCount = (channel: string) =>
      sampleValue(metrics, 'vigil_notification_delivery_seconds_count', { channel });
    expect([sentCount('email'), sentCount('slack'), sentCount('sms')]).toEqual([1, 1, 0]);

    // The outbox gauge shows the jobs still owed or given up; sent ones are counted above.
    const jobs = (channel: string, state: string) => sampleValue(metrics, 'vigil_outbox_jobs', { channel, state });
    expect([jobs('sms', 'dead'), jobs('email', 'dead'), jobs('slack', 'dead')]).toEqual([1, 0, 0]);
    expect([jobs('email', 'pending'), jobs('slack', 'pending'), jobs('slack', 'sending')]).toEqual([0, 0, 0]);
  });
});
