// One message per notification per channel, however often Alertmanager sends it: the same group again (a retry of
// a failed webhook, the other half of an HA pair) sends nothing more; one more firing alert is news and sends a
// second message; the end of the group sends a short resolved notice.

import { describe, expect, it } from 'vitest';
import { alert } from '../receiver/payloads.js';
import { firing, group, serviceDown, useDeliveryHarness } from './delivery-harness.js';

const harness = useDeliveryHarness();

/** Messages received in this test, per channel (the harness forgets them between tests). */
function messageCounts() {
  return {
    email: harness.smtp.received.length,
    slack: harness.slack.received.length,
    sms: harness.twilio.received.length,
  };
}

describe('one message per notification per channel', () => {
  const first = () => firing(harness.receiver, serviceDown('dedup_first'));
  const second = () => firing(harness.receiver, serviceDown('dedup_second'));

  it('sends a group once, though Alertmanager posts it again and its HA peer posts it too', async () => {
    const payload = group('dedup', [first()]);
    await harness.post(payload);
    await Promise.all([harness.post(payload), harness.post(payload)]);

    const deliveries = await harness.settledDeliveries('dedup_first');
    expect(deliveries.map((each) => [each.channel, each.state])).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
      ['slack', 'sent'],
    ]);
    expect(messageCounts()).toEqual({ email: 1, slack: 1, sms: 1 });
  });

  it('sends a second message when one more alert of the group fires', async () => {
    await harness.post(group('dedup', [first(), second()]));

    const deliveries = await harness.settledDeliveries('dedup_second');
    expect(deliveries.map((each) => each.state)).toEqual(['sent', 'sent', 'sent']);
    expect(messageCounts()).toEqual({ email: 1, slack: 1, sms: 1 });
    expect(harness.smtp.received[0]?.mail.subject).toBe('[CRITICAL] 2 alerts — ServiceDown');
  });

  it('sends a short resolved notice once when the group resolves', async () => {
    const resolved = [first(), second()].map((each) =>
      alert({
        labels: each.labels,
        status: 'resolved',
        startsAt: Date.parse(each.startsAt),
        endsAt: harness.receiver.clock.now(),
      }),
    );
    const payload = group('dedup', resolved);
    await harness.post(payload);
    await harness.post(payload);

    const deliveries = await harness.settledDeliveries('dedup_second');
    expect(deliveries.map((each) => each.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent']);
    expect(messageCounts()).toEqual({ email: 1, slack: 1, sms: 1 });
    const mail = harness.smtp.received[0]?.mail;
    expect(mail?.subject).toBe('[RESOLVED] 2 alerts — ServiceDown');
    expect(mail?.text).toContain('All 2 alerts have resolved; it lasted 5 min');
    const slack = JSON.parse(harness.slack.received[0]?.body ?? '{}') as { text?: string };
    expect(slack.text).toMatch(/^\[RESOLVED\] /);
    const sms = new URLSearchParams(harness.twilio.received[0]?.body).get('Body');
    expect(sms).toMatch(/^RESOLVED /);
    expect(sms!.length).toBeLessThan(160);
  });
});
