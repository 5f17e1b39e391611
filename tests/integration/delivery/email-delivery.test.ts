// Email through the whole receiver: an Alertmanager webhook becomes one mail at a real SMTP server (subject, HTML
// and text parts, escaped label text, Message-ID), a 451 is retried and delivered once, a 550 is given up with the
// server's reply in the delivery log and one error in the log.

import { describe, expect, it } from 'vitest';
import { EMAIL_RECIPIENT, ERROR_LEVEL, firing, group, serviceDown, useDeliveryHarness } from './delivery-harness.js';

const harness = useDeliveryHarness();

describe('email delivery', () => {
  it('sends one mail with the subject, an HTML and a text part and a Message-ID', async () => {
    const labels = serviceDown('email_one', 'email', { name: 'API Root' });
    await harness.post(group('email-one', [firing(harness.receiver, labels)]));

    const [delivery] = await harness.settledDeliveries('email_one');
    expect(delivery).toMatchObject({ channel: 'email', recipient: EMAIL_RECIPIENT, state: 'sent', attempts: 1 });
    expect(harness.smtp.received).toHaveLength(1);
    const { recipients, mail } = harness.smtp.received[0]!;
    expect(recipients).toEqual([EMAIL_RECIPIENT]);
    expect(mail.subject).toBe('[CRITICAL] ServiceDown — API Root');
    expect(mail.from?.value).toEqual([{ name: 'Vigil', address: 'vigil@alerts.example' }]);
    expect(mail.messageId).toMatch(/^<vigil\.[0-9a-f]{32}@alerts\.example>$/);
    expect(delivery?.provider_id).toBe(mail.messageId);
    expect(String(mail.html)).toContain('ServiceDown</strong> — API Root');
    expect(mail.text).toContain('ServiceDown — API Root');
  });

  it('escapes label text in the HTML part', async () => {
    const labels = serviceDown('email_markup', 'email', { name: '<script>alert(1)</script>' });
    await harness.post(group('email-markup', [firing(harness.receiver, labels)]));

    await harness.settledDeliveries('email_markup');
    expect(harness.smtp.received).toHaveLength(1);
    const { mail } = harness.smtp.received[0]!;
    const html = String(mail.html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(mail.text).toContain('ServiceDown — <script>alert(1)</script>');
  });

  it('retries a 451 and delivers once, on the second attempt', async () => {
    harness.smtp.queuedRcptReplies.push({ code: 451, message: 'Try again later' });
    const deliveries = await harness.deliverAlone('email_451', 'email');
    expect(deliveries).toEqual([expect.objectContaining({ channel: 'email', state: 'sent', attempts: 2 })]);
    expect(harness.smtp.rcptCount).toBe(2);
    expect(harness.smtp.received).toHaveLength(1);
  });

  it('gives up on a 550 with the reply in the delivery log, logged once at error level', async () => {
    harness.smtp.queuedRcptReplies.push({ code: 550, message: 'No such user here' });
    const logged = harness.logs.length;
    const [delivery] = await harness.deliverAlone('email_550', 'email');
    expect(delivery).toMatchObject({ channel: 'email', state: 'dead', attempts: 1, sent_at: null });
    expect(delivery?.last_error).toMatch(/550.*No such user here/);
    expect(harness.smtp.rcptCount).toBe(1);
    expect(harness.smtp.received).toHaveLength(0);
    const errors = harness.logs.slice(logged).filter((line) => line.level >= ERROR_LEVEL);
    expect(errors).toEqual([
      expect.objectContaining({ channel: 'email', delivery: delivery?.id, reason: delivery?.last_error }),
    ]);
  });
});
