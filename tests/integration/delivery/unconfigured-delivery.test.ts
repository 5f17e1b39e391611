// A route naming a channel the environment does not configure: SMS without TWILIO_* is written `unconfigured` in
// the delivery log and counted on /metrics, while email and Slack of the same notification still deliver.

import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../helpers/vigil-process.js';
import { firing, group, serviceDown, useDeliveryHarness } from './delivery-harness.js';

const harness = useDeliveryHarness(['email', 'slack']);

describe('a routed channel without credentials', () => {
  it('shows sms unconfigured in the delivery log and counts it, while email and Slack deliver', async () => {
    await harness.post(group('no-sms', [firing(harness.receiver, serviceDown('no_sms'))]));

    const deliveries = await harness.settledDeliveries('no_sms');
    expect(deliveries).toEqual([
      expect.objectContaining({ channel: 'email', state: 'sent', attempts: 1 }),
      expect.objectContaining({ channel: 'sms', recipient: null, state: 'unconfigured', attempts: 0 }),
      expect.objectContaining({ channel: 'slack', state: 'sent', attempts: 1 }),
    ]);
    expect(harness.smtp.received).toHaveLength(1);
    expect(harness.slack.received).toHaveLength(1);
    expect(harness.twilio.received).toHaveLength(0);
    const metrics = await harness.metrics();
    expect(sampleValue(metrics, 'vigil_notifications_total', { channel: 'sms', outcome: 'unconfigured' })).toBe(1);
  });
});
