// Who may talk to the receiver: Alertmanager with the configured webhook credentials (bearer, basic or none), admins
// with the admin token on every admin endpoint, anyone on /metrics and the health endpoints.

import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type ErrorAnswer, type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

const payload = notification([alert({ labels: down('web'), startsAt: Date.UTC(2025, 4, 6, 8, 55) })]);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let receiver: ReceiverHarness | undefined;

afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

describe('webhook credentials', () => {
  it('takes bearer auth from VIGIL_WEBHOOK_TOKEN alone, and refuses anything else with 401', async () => {
    receiver = await startReceiver({ env: { VIGIL_WEBHOOK_TOKEN: 's3cret-token' } });
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'Bearer s3cret-token-and-more' },
      { authorization: 'Bearer s3cret-toke' },
      { authorization: 's3cret-token' },
      { authorization: basic('vigil', 's3cret-token') },
    ];
    for (const headers of refused) {
      const answer = await receiver.post<ErrorAnswer>(payload, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(401);
      expect(answer.body.error).toMatch(/credentials/);
    }
    const response = await fetch(`${receiver.url}/api/v1/alertmanager`, { method: 'POST' });
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await receiver.allAlerts()).toEqual([]);
    expect((await receiver.post(payload, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
    expect((await receiver.post(payload, { authorization: 'bearer s3cret-token' })).status).toBe(200);
  });

  it('takes basic auth when configured, user and password from the environment', async () => {
    receiver = await startReceiver({
      configYml: 'receiver: {auth: basic}\n',
      env: { VIGIL_WEBHOOK_USER: 'alertmanager', VIGIL_WEBHOOK_PASSWORD: 'pa:ss' },
    });
    for (const authorization of [
      basic('alertmanager', 'wrong'),
      basic('someone', 'pa:ss'),
      'Bearer pa:ss',
      basic('alertmanager', ''),
    ]) {
      expect((await receiver.post(payload, { authorization })).status).toBe(401);
    }
    expect((await receiver.post(payload, { authorization: basic('alertmanager', 'pa:ss') })).status).toBe(200);
  });

  it('is open when no token is set', async () => {
    receiver = await startReceiver();
    expect((await receiver.post(payload)).status).toBe(200);
  });

  it('lets `auth: none` win over a token in the environment', async () => {
    receiver = await startReceiver({ configYml: 'receiver: {auth: none}\n', env: { VIGIL_WEBHOOK_TOKEN: 'unused' } });
    expect((await receiver.post(payload)).status).toBe(200);
  });
});

describe('admin token', () => {
  const ADMIN_REQUESTS: Array<[string, string, unknown?]> = [
    ['GET', '/api/v1/alerts'],
    ['GET', '/api/v1/alerts/summary'],
    ['GET', '/api/v1/alerts/patterns?days=7'],
    ['GET', '/api/v1/alerts/some-id'],
    ['POST', '/api/v1/alerts/some-id/acknowledge', { by: 'me' }],
    ['POST', '/api/v1/alerts/some-id/resolve', { by: 'me' }],
    ['POST', '/api/v1/alerts/some-id/suppress', { by: 'me', duration: '1h' }],
    ['GET', '/api/v1/alerts/no/such/path'],
  ];

  it('guards every admin endpoint; a wrong or missing token gets 401', async () => {
    receiver = await startReceiver();
    for (const [method, path, body] of ADMIN_REQUESTS) {
      for (const token of [null, 'wrong', `${ADMIN_TOKEN}x`]) {
        const answer = await receiver.admin(path, { method, token, ...(body === undefined ? {} : { body }) });
        expect(answer.status, `${method} ${path} with ${token}`).toBe(401);
      }
      const allowed = await receiver.admin(path, { method, ...(body === undefined ? {} : { body }) });
      expect(allowed.status, `${method} ${path}`).not.toBe(401);
    }
  });

  it('refuses every admin request when VIGIL_ADMIN_TOKEN is not set', async () => {
    receiver = await startReceiver({ env: { VIGIL_ADMIN_TOKEN: '' } });
    const answer = await receiver.admin('/api/v1/alerts', { token: '' });
    expect(answer).toEqual({ status: 401, body: { error: 'the admin API is disabled: set VIGIL_ADMIN_TOKEN' } });
  });

  it('leaves /metrics, /-/healthy and /-/ready open, and the webhook token does not open the admin API', async () => {
    receiver = await startReceiver({ env: { VIGIL_WEBHOOK_TOKEN: 'hook-token' } });
    for (const path of ['/metrics', '/-/healthy', '/-/ready']) {
      expect((await fetch(`${receiver.url}${path}`)).status, path).toBe(200);
    }
    expect((await receiver.admin('/api/v1/alerts', { token: 'hook-token' })).status).toBe(401);
  });
});
