// SMS through the whole receiver: the real twilio client, pointed by TWILIO_API_BASE_URL at a local server speaking
// the Messages API, posts the form Twilio reads (To, From, Body in one segment); a 429 is retried, a 400 with code
// 21211 (not a valid number) is given up with Twilio's message in the delivery log.

import { describe, expect, it } from 'vitest';
import { segmentInfo } from '../../../src/notify/sms/segments.js';
import { SMS_RECIPIENT, useDeliveryHarness, TWILIO, TWILIO_SID } from './delivery-harness.js';

const harness = useDeliveryHarness();

function twilioError(status: number, code: number, message: string) {
  return {
    status,
    body: JSON.stringify({ status, code, message, more_info: `https://www.twilio.com/docs/errors/${code}` }),
  };
}

describe('SMS delivery', () => {
  it('posts To, From and a one-segment Body to the Messages API', async () => {
    const deliveries = await harness.deliverAlone('sms_one', 'sms');

    expect(deliveries).toEqual([
      expect.objectContaining({
        channel: 'sms',
        recipient: SMS_RECIPIENT,
        state: 'sent',
        attempts: 1,
        provider_id: TWILIO_SID,
      }),
    ]);
    expect(harness.twilio.received).toHaveLength(1);
    const [request] = harness.twilio.received;
    expect(request?.url).toBe(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`);
    const form = new URLSearchParams(request?.body);
    expect(form.get('To')).toBe(SMS_RECIPIENT);
    expect(form.get('From')).toBe(TWILIO.from);
    const body = form.get('Body') ?? '';
    expect(body).toMatch(/^CRIT ServiceDown: sms_one/);
    expect(segmentInfo(body).segments).toBe(1);
  });

  it('retries a 429, then sends', async () => {
    harness.twilio.queued.push(twilioError(429, 20429, 'Too Many Requests'));

    const deliveries = await harness.deliverAlone('sms_429', 'sms');

    expect(deliveries).toEqual([expect.objectContaining({ channel: 'sms', state: 'sent', attempts: 2 })]);
    expect(harness.twilio.received).toHaveLength(2);
  });

  it('gives up on a 400 with code 21211, naming it', async () => {
    harness.twilio.answer = twilioError(400, 21211, "The 'To' number is not a valid phone number.");

    const deliveries = await harness.deliverAlone('sms_21211', 'sms');

    expect(deliveries).toEqual([
      expect.objectContaining({
        channel: 'sms',
        state: 'dead',
        attempts: 1,
        last_error: "sms: HTTP 400 (Twilio 21211): The 'To' number is not a valid phone number.",
      }),
    ]);
    expect(harness.twilio.received).toHaveLength(1);
  });
});
