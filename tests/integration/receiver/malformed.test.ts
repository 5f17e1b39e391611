// Bad input to the webhook, as a table: each body gets the right 4xx with a message naming what is wrong, nothing
// of it is stored, and the receiver still takes a good notification afterwards.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceiverHarness, startReceiver } from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

const startsAt = Date.UTC(2025, 4, 6, 8, 55);
const good = () => notification([alert({ labels: down('web'), startsAt })]);
const goodAlert = () => good().alerts[0]!;

/** A good notification with one field replaced (`undefined` removes it). */
function withField(key: string, value: unknown) {
  const payload: Record<string, unknown> = good();
  if (value === undefined) delete payload[key];
  else payload[key] = value;
  return payload;
}

function withAlertField(key: string, value: unknown) {
  const each: Record<string, unknown> = goodAlert();
  if (value === undefined) delete each[key];
  else each[key] = value;
  return notification([each as ReturnType<typeof alert>]);
}

function nested(depth: number): string {
  return `{"version":"4","status":"firing","alerts":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

interface Case {
  name: string;
  body: unknown;
  contentType?: string;
  status: number;
  message: RegExp;
}

const MB = 1024 * 1024;

const CASES: Case[] = [
  { name: 'empty body', body: '', status: 400, message: /^body: is empty/ },
  { name: 'not JSON', body: '{"version": "4", ', status: 400, message: /^body: is not valid JSON/ },
  { name: 'JSON but an array', body: [good()], status: 400, message: /^body: must be an object, got an array/ },
  { name: 'JSON but a string', body: '"firing"', status: 400, message: /^body: must be an object, got a string/ },
  { name: 'JSON null', body: 'null', status: 400, message: /^body: must be an object, got null/ },
  { name: 'missing version', body: withField('version', undefined), status: 400, message: /^version: is required/ },
  { name: 'version 3', body: withField('version', '3'), status: 400, message: /^version: must be "4"/ },
  { name: 'version as a number', body: withField('version', 4), status: 400, message: /^version: must be "4"/ },
  {
    name: 'unknown status',
    body: withField('status', 'pending'),
    status: 400,
    message: /^status: must be one of "firing", "resolved"/,
  },
  { name: 'missing alerts', body: withField('alerts', undefined), status: 400, message: /^alerts: is required/ },
  {
    name: 'alerts not a list',
    body: withField('alerts', { 0: goodAlert() }),
    status: 400,
    message: /^alerts: must be an array, got an object/,
  },
  { name: 'no alerts', body: withField('alerts', []), status: 400, message: /^alerts: must contain at least 1 item/ },
  {
    name: 'alert not an object',
    body: withField('alerts', ['CheckDown']),
    status: 400,
    message: /^alerts\[0\]: must be an object, got a string/,
  },
  {
    name: 'alert without labels',
    body: withAlertField('labels', undefined),
    status: 400,
    message: /^alerts\[0\].labels: is required/,
  },
  {
    name: 'alert with empty labels',
    body: withAlertField('labels', {}),
    status: 400,
    message: /^alerts\[0\].labels: must have at least 1 entry/,
  },
  {
    name: 'label value a number',
    body: withAlertField('labels', { alertname: 'X', port: 443 }),
    status: 400,
    message: /^alerts\[0\].labels.port: must be a string, got a number/,
  },
  {
    name: 'label value nested deeply',
    body: withAlertField('labels', { alertname: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) as unknown }),
    status: 400,
    message: /^alerts\[0\].labels.alertname: must be a string, got an object/,
  },
  {
    name: 'annotations a list',
    body: withAlertField('annotations', ['summary']),
    status: 400,
    message: /^alerts\[0\].annotations: must be an object, got an array/,
  },
  {
    name: 'alert status missing',
    body: withAlertField('status', undefined),
    status: 400,
    message: /^alerts\[0\].status: is required/,
  },
  {
    name: 'startsAt missing',
    body: withAlertField('startsAt', undefined),
    status: 400,
    message: /^alerts\[0\].startsAt: is required/,
  },
  {
    name: 'startsAt not a date',
    body: withAlertField('startsAt', 'yesterday'),
    status: 400,
    message: /^alerts\[0\].startsAt: must be an RFC 3339 date-time/,
  },
  {
    name: 'startsAt on February 30th',
    body: withAlertField('startsAt', '2025-02-30T10:00:00Z'),
    status: 400,
    message: /^alerts\[0\].startsAt: must be an RFC 3339/,
  },
  {
    name: 'startsAt at hour 25',
    body: withAlertField('startsAt', '2025-05-06T25:00:00Z'),
    status: 400,
    message: /^alerts\[0\].startsAt: must be an RFC 3339/,
  },
  {
    name: 'startsAt without a zone',
    body: withAlertField('startsAt', '2025-05-06T10:00:00'),
    status: 400,
    message: /^alerts\[0\].startsAt: must be an RFC 3339/,
  },
  {
    name: 'startsAt the zero time',
    body: withAlertField('startsAt', '0001-01-01T00:00:00Z'),
    status: 400,
    message: /^alerts\[0\].startsAt: must be set, got the zero time/,
  },
  {
    name: 'startsAt far in the future',
    body: withAlertField('startsAt', '2099-01-01T00:00:00Z'),
    status: 400,
    message: /^alerts\[0\].startsAt: 2099-01-01T00:00:00Z is more than 1h ahead of the receiver's clock/,
  },
  {
    name: 'startsAt as epoch seconds',
    body: withAlertField('startsAt', 1_746_522_000),
    status: 400,
    message: /^alerts\[0\].startsAt: must be a string, got a number/,
  },
  {
    name: 'endsAt invalid',
    body: withAlertField('endsAt', '2025-13-01T00:00:00Z'),
    status: 400,
    message: /^alerts\[0\].endsAt: must be an RFC 3339/,
  },
  {
    name: 'fingerprint with markup',
    body: withAlertField('fingerprint', '<script>'),
    status: 400,
    message: /^alerts\[0\].fingerprint: may only contain/,
  },
  {
    name: 'truncatedAlerts negative',
    body: withField('truncatedAlerts', -1),
    status: 400,
    message: /^truncatedAlerts: must be at least 0/,
  },
  {
    name: 'huge label value',
    body: withAlertField('labels', { alertname: 'X', instance: 'x'.repeat(100_000) }),
    status: 400,
    message: /^alerts\[0\].labels.instance: must be at most 4096 characters long/,
  },
  {
    name: 'huge label name',
    body: withAlertField('labels', { alertname: 'X', ['n'.repeat(300)]: 'v' }),
    status: 400,
    message: /^alerts\[0\].labels: the name "n{64}…" is too long/,
  },
  {
    name: 'huge annotation',
    body: withAlertField('annotations', { description: 'd'.repeat(40_000) }),
    status: 400,
    message: /^alerts\[0\].annotations.description: must be at most 32768/,
  },
  {
    name: 'odd label name quoted in the message',
    body: withAlertField('labels', { alertname: 'X', 'a"b<i>': 7 }),
    status: 400,
    message: /^alerts\[0\].labels\["a\\"b<i>"\]: must be a string/,
  },
  {
    name: 'deep nesting',
    body: nested(100_000),
    status: 400,
    message: /^alerts\[0\]: must be an object, got an array/,
  },
  {
    name: 'text/plain',
    body: good(),
    contentType: 'text/plain',
    status: 415,
    message: /^Content-Type: "text\/plain" is not accepted/,
  },
  {
    name: 'form encoded',
    body: 'version=4',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    message: /Content-Type/,
  },
  { name: 'no content type', body: good(), contentType: '', status: 415, message: /^Content-Type: missing/ },
  {
    name: 'JSON in Latin-1',
    body: good(),
    contentType: 'application/json; charset=iso-8859-1',
    status: 415,
    message: /charset "iso-8859-1"/,
  },
  {
    name: 'over the 1 MiB limit',
    body: withAlertField('annotations', { description: 'd'.repeat(MB + 10) }),
    status: 413,
    message: /^body: larger than the limit of 1048576 bytes/,
  },
  { name: 'a 10 MB body', body: 'x'.repeat(10 * MB), status: 413, message: /^body: larger than the limit/ },
];

let receiver: ReceiverHarness;

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.stop();
});

describe('malformed webhook bodies', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$name → $status', async ({ body, contentType, status, message }) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    // An empty contentType sends none at all: a Blob without a type and no header.
    const headers: Record<string, string> =
      contentType === '' ? {} : { 'content-type': contentType ?? 'application/json' };
    const response = await fetch(`${receiver.url}/api/v1/alertmanager`, {
      method: 'POST',
      headers,
      body: contentType === '' ? new Blob([text]) : text,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = (await response.json()) as { error: string };
    expect(answer.error).toMatch(message);
  });

  it('streams a 10 MB body without Content-Length and still cuts it at the limit', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10 * MB) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(`${receiver.url}/api/v1/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(10 * MB);
  });

  it('stored nothing, counted every refusal, and still takes a good notification', async () => {
    expect(await receiver.allAlerts()).toEqual([]);
    expect((await receiver.admin('/api/v1/alerts/summary')).body).toMatchObject({ total: 0 });
    const metrics = await (await fetch(`${receiver.url}/metrics`)).text();
    expect(metrics).toMatch(/uptime_receiver_notifications_total\{outcome="invalid"\} 3[0-9]/);
    expect(metrics).toMatch(/uptime_receiver_notifications_total\{outcome="unsupported_media_type"\} 4/);
    expect(metrics).toMatch(/uptime_receiver_notifications_total\{outcome="too_large"\} 3/);
    expect((await receiver.post(good())).status).toBe(200);
    expect(await receiver.allAlerts()).toHaveLength(1);
  });
});
