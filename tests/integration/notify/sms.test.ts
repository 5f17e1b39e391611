// The SMS channel's real twilio client against a local server speaking the Messages API: the form Twilio would
// receive (one segment), and what each answer comes to (201 sent with its sid, 429 and 500 retried, 400 code 21211
// dead, a refused connection, a timeout, an abort).

import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmsChannel, type SmsChannelConfig } from '../../../src/notify/sms/sms-channel.js';
import { segmentInfo } from '../../../src/notify/sms/segments.js';
import { manyAlerts, notification } from '../../helpers/notification-builder.js';
import { unusedPort } from '../../helpers/ports.js';
import { RecordingWebhookServer, type WebhookAnswer } from '../../helpers/recording-webhook-server.js';

const ACCOUNT_SID = 'AC00000000000000000000000000000000';
const AUTH_TOKEN = 'secret-auth-token-0000';
const FROM = '+15005550006';
const TO = '+14155550100';

function created(sid: string): WebhookAnswer {
  return { status: 201, body: JSON.stringify({ sid, status: 'queued' }) };
}

function twilioError(status: number, code: number, message: string): WebhookAnswer {
  const moreInfo = `https://www.twilio.com/docs/errors/${code}`;
  return { status, body: JSON.stringify({ status, code, message, more_info: moreInfo }) };
}

/** A Messages API that records each request and answers as the test says (201 with a sid by default). */
/** Takes connections and never answers: a provider slower than any timeout. */
const silentSockets = new Set<Socket>();
const silent = createServer((socket) => silentSockets.add(socket));
let silentApiBaseUrl: string;

const api = new RecordingWebhookServer(created('SM00000000000000000000000000000001'));
let apiBaseUrl: string;
const signal = () => AbortSignal.timeout(10_000);
const sms = (overrides: Partial<SmsChannelConfig> = {}) =>
  createSmsChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiBaseUrl, ...overrides });

beforeAll(async () => {
  apiBaseUrl = await api.start();
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  silentApiBaseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api.stop();
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});
beforeEach(() => {
  api.reset();
});

describe('SMS channel against a local Messages API', () => {
  it('posts the form fields with Basic auth, one segment, and answers with the sid', async () => {
    const channel = sms();
    const outcome = await channel.send(channel.render(notification(manyAlerts(300)), TO), { signal: signal() });

    expect(outcome).toEqual({ kind: 'sent', providerId: 'SM00000000000000000000000000000001' });
    expect(api.received).toHaveLength(1);
    const [request] = api.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request?.contentType).toContain('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
    );
    const form = new URLSearchParams(request?.body);
    expect(form.get('To')).toBe(TO);
    expect(form.get('From')).toBe(FROM);
    const body = form.get('Body') ?? '';
    expect(body.startsWith('CRIT ServiceDown: Check 1 (299 more) since 13:40 UTC')).toBe(true);
    expect(segmentInfo(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('sends one message per recipient, each with its own sid', async () => {
    const channel = sms();
    const first = await channel.send(channel.render(notification(), TO), { signal: signal() });
    api.answer = created('SM00000000000000000000000000000002');
    const second = await channel.send(channel.render(notification(), '+447700900123'), { signal: signal() });

    expect([first, second]).toEqual([
      { kind: 'sent', providerId: 'SM00000000000000000000000000000001' },
      { kind: 'sent', providerId: 'SM00000000000000000000000000000002' },
    ]);
    expect(api.received.map((request) => new URLSearchParams(request.body).get('To'))).toEqual([TO, '+447700900123']);
  });

  it.each([
    [twilioError(429, 20429, 'Too Many Requests'), 'retry', 'sms: HTTP 429 (Twilio 20429): Too Many Requests'],
    [twilioError(500, 20500, 'Internal Server Error'), 'retry', 'sms: HTTP 500 (Twilio 20500): Internal Server Error'],
    [
      twilioError(400, 21211, "The 'To' number +1415 is not a valid phone number."),
      'dead',
      "sms: HTTP 400 (Twilio 21211): The 'To' number +1415 is not a valid phone number.",
    ],
    [twilioError(401, 20003, 'Authenticate'), 'dead', 'sms: HTTP 401 (Twilio 20003): Authenticate'],
  ])('answers %j with %s', async (answer, kind, reason) => {
    api.answer = answer;
    const channel = sms();
    const outcome = await channel.send(channel.render(notification(), TO), { signal: signal() });

    expect(outcome).toEqual({ kind, reason });
    expect(api.received).toHaveLength(1);
    expect(JSON.stringify(outcome)).not.toContain(AUTH_TOKEN);
  });

  it('retries a refused connection, naming the error code only', async () => {
    const channel = sms({ apiBaseUrl: `http://127.0.0.1:${await unusedPort()}` });
    const outcome = await channel.send(channel.render(notification(), TO), { signal: signal() });

    expect(outcome).toEqual({ kind: 'retry', reason: 'sms: network error (ECONNREFUSED)' });
  });

  it('retries when the provider is slower than the timeout', async () => {
    const channel = sms({ timeoutMs: 200, apiBaseUrl: silentApiBaseUrl });
    const outcome = await channel.send(channel.render(notification(), TO), { signal: signal() });

    expect(outcome).toMatchObject({ kind: 'retry' });
    expect(outcome.kind === 'retry' && outcome.reason).toMatch(/^sms: network error \(E[A-Z]+\)$/);
  });

  it('gives up waiting when the attempt is aborted', async () => {
    const channel = sms({ apiBaseUrl: silentApiBaseUrl });
    const started = Date.now();
    const outcome = await channel.send(channel.render(notification(), TO), { signal: AbortSignal.timeout(100) });

    expect(outcome).toEqual({ kind: 'retry', reason: 'sms: the attempt was aborted' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('refuses a from number that is not E.164 when the channel is made, without the token', () => {
    expect(() => sms({ from: '0044 7700 900123' })).toThrow(/sms: the from number .* E\.164/);
    expect(() => sms({ from: '0044 7700 900123' })).not.toThrow(AUTH_TOKEN);
  });
});
