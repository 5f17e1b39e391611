// The generic webhook channel's real undici client against a local receiver: the body and headers it receives, a
// signature the receiver can verify with the secret, and what each answer comes to (429 + Retry-After, 503, 410, a
// refused connection, an abort), never quoting the URL's credentials, its query or the secret.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookBody } from '../../../src/notify/webhook/render.js';
import { createWebhookChannel, type WebhookChannelConfig } from '../../../src/notify/webhook/webhook-channel.js';
import { ACCEPTED_AT, manyAlerts, notification } from '../../helpers/notification-builder.js';
import { unusedPort } from '../../helpers/ports.js';
import { RecordingWebhookServer } from '../../helpers/recording-webhook-server.js';

const SECRET = 'whsec-test-secret';
/** The send's clock: two minutes after the notification was accepted. */
const SENT_AT = ACCEPTED_AT + 120_000;

const receiver = new RecordingWebhookServer({ status: 204, body: '' });
let baseUrl: string;
const signal = () => AbortSignal.timeout(10_000);

beforeAll(async () => {
  baseUrl = await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
});
beforeEach(() => {
  receiver.reset();
});

function channel(overrides: Partial<WebhookChannelConfig> = {}) {
  return createWebhookChannel({ url: `${baseUrl}/hooks/vigil?token=query-secret`, now: () => SENT_AT, ...overrides });
}

/** What docs/webhook.md tells a receiver to do: recompute the HMAC of "t.body" and compare in constant time. */
function verifies(header: string, body: string, secret: string): boolean {
  const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=', 2))) as Record<string, string>;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook channel against a local receiver', () => {
  it('posts the documented body with its headers, signed with the secret', async () => {
    const webhook = channel({ secret: SECRET });
    const message = webhook.render(notification(manyAlerts(300)));
    const outcome = await webhook.send(message, { signal: signal() });

    expect(outcome).toEqual({ kind: 'sent' });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/vigil?token=query-secret' });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Vigil',
      'x-vigil-delivery': message.deliveryId,
    });
    expect(request?.headers.authorization).toBeUndefined();
    const body = JSON.parse(request?.body ?? '') as WebhookBody;
    expect(body).toEqual(message.body);
    expect(body.alerts).toHaveLength(300);

    const signature = request?.headers['x-vigil-signature'];
    expect(signature).toMatch(new RegExp(`^t=${Math.floor(SENT_AT / 1_000)},v1=[0-9a-f]{64}$`));
    expect(verifies(String(signature), request?.body ?? '', SECRET)).toBe(true);
    expect(verifies(String(signature), request?.body ?? '', 'another-secret')).toBe(false);
    expect(verifies(String(signature), `${request?.body ?? ''} `, SECRET)).toBe(false);
  });

  it('signs each attempt at its own time, so a retry carries a fresh timestamp', async () => {
    let now = SENT_AT;
    const webhook = channel({ secret: SECRET, now: () => now });
    const message = webhook.render(notification());
    await webhook.send(message, { signal: signal() });
    now += 60_000;
    await webhook.send(message, { signal: signal() });

    const [first, second] = receiver.received.map((request) => String(request.headers['x-vigil-signature']));
    expect(first).not.toBe(second);
    expect(second).toMatch(new RegExp(`^t=${Math.floor(now / 1_000)},`));
    expect(receiver.received.map((request) => request.headers['x-vigil-delivery'])).toEqual([
      message.deliveryId,
      message.deliveryId,
    ]);
  });

  it.each<[string, () => Partial<WebhookChannelConfig>, string]>([
    ['a bearer token', () => ({ bearerToken: 'tok-123' }), 'Bearer tok-123'],
    [
      'credentials in the URL, as Basic auth',
      () => ({ url: baseUrl.replace('http://', 'http://hook:p%40ss@') }),
      `Basic ${Buffer.from('hook:p@ss').toString('base64')}`,
    ],
  ])('authorizes with %s, without a signature when no secret is set', async (_, config, authorization) => {
    const webhook = channel(config());
    expect(await webhook.send(webhook.render(notification()), { signal: signal() })).toEqual({ kind: 'sent' });
    expect(receiver.received[0]?.headers.authorization).toBe(authorization);
    expect(receiver.received[0]?.headers['x-vigil-signature']).toBeUndefined();
  });

  it.each<[string, { status: number; body: string; headers?: Record<string, string> }, object]>([
    [
      '429 with Retry-After: 2 is retried after 2 s',
      { status: 429, body: 'slow down', headers: { 'retry-after': '2' } },
      { kind: 'retry', reason: 'webhook: HTTP 429: slow down', afterMs: 2_000 },
    ],
    [
      '429 without Retry-After is retried on the backoff',
      { status: 429, body: '' },
      { kind: 'retry', reason: 'webhook: HTTP 429' },
    ],
    [
      '503 is retried',
      { status: 503, body: 'maintenance' },
      { kind: 'retry', reason: 'webhook: HTTP 503: maintenance' },
    ],
    ['410 is dead', { status: 410, body: 'gone' }, { kind: 'dead', reason: 'webhook: HTTP 410: gone' }],
    [
      '401 is dead',
      { status: 401, body: 'bad signature' },
      { kind: 'dead', reason: 'webhook: HTTP 401: bad signature' },
    ],
  ])('%s', async (_, answer, expected) => {
    receiver.answer = answer;
    const webhook = channel({ secret: SECRET });
    const outcome = await webhook.send(webhook.render(notification()), { signal: signal() });
    expect(outcome).toEqual(expected);
    expect(JSON.stringify(outcome)).not.toMatch(/query-secret|whsec|127\.0\.0\.1/);
  });

  it('keeps only the start of a long error body, on one line', async () => {
    receiver.answer = { status: 400, body: `invalid body\n${'x'.repeat(100_000)}` };
    const webhook = channel();
    const outcome = await webhook.send(webhook.render(notification()), { signal: signal() });
    expect(outcome.kind === 'dead' && outcome.reason.startsWith('webhook: HTTP 400: invalid body x')).toBe(true);
    expect(outcome.kind === 'dead' && outcome.reason.length).toBeLessThan(600);
  });

  it('retries when nothing listens, without quoting the URL', async () => {
    const url = `http://user:url-password@127.0.0.1:${await unusedPort()}/hook?token=query-secret`;
    const webhook = channel({ url, secret: SECRET });
    const outcome = await webhook.send(webhook.render(notification()), { signal: signal() });
    expect(outcome).toEqual({ kind: 'retry', reason: 'webhook: network error (ECONNREFUSED)' });
  });

  it('retries when the attempt is aborted', async () => {
    const webhook = channel();
    const outcome = await webhook.send(webhook.render(notification()), { signal: AbortSignal.abort() });
    expect(outcome).toEqual({ kind: 'retry', reason: 'webhook: the attempt was aborted' });
  });

  it('refuses a bad configuration without quoting it', () => {
    expect(() => createWebhookChannel({ url: 'ftp://hooks.example/secret-token' })).toThrow(
      /^webhook: the webhook URL is not http\(s\)$/,
    );
    expect(() => createWebhookChannel({ url: 'secret-token' })).toThrow(/^webhook: the webhook URL is not a URL$/);
    expect(() => createWebhookChannel({ url: 'https://u:secret@hooks.example/', bearerToken: 'tok' })).toThrow(
      /^webhook: give a bearer token or credentials in the URL, not both$/,
    );
  });
});
