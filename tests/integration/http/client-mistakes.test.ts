// What either role answers to a request a client got wrong at the HTTP level: a path that is not valid
// percent-encoding, a body over the limit, not JSON, in another charset. Each is a 4xx naming what is wrong, logged
// at debug level at most: no request a client can make reaches the 500 answer or an error in the log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLog, DEBUG_LEVEL, ERROR_LEVEL, type LogLine } from '../../helpers/captured-log.js';
import { startInProcessProber, type InProcessProber } from '../../helpers/in-process-prober.js';
import { ADMIN_TOKEN, startReceiver, type ReceiverHarness } from '../receiver/receiver-harness.js';

const TOKEN = 'prober-admin-token';
const BAD_ENCODINGS = ['%ff%fe', '%c0%ae', '%', '%e2%82'];

const proberLog = capturedLog();
const receiverLog = capturedLog();
let prober: InProcessProber;
let receiver: ReceiverHarness;

beforeAll(async () => {
  prober = await startInProcessProber({
    files: { 'checks.yml': 'checks:\n  - {id: web, enabled: false, endpoint: {url: "http://127.0.0.1:9/"}}\n' },
    adminToken: TOKEN,
    logger: proberLog.logger,
  });
  receiver = await startReceiver({ logger: receiverLog.logger });
});

afterAll(async () => {
  await prober?.stop();
  await receiver?.stop();
});

/** The answer's status and error message. */
async function answer(url: string, init: RequestInit = {}): Promise<{ status: number; error: string }> {
  const response = await fetch(url, init);
  const body = (await response.json()) as { error: string };
  return { status: response.status, error: body.error };
}

function expectNothingAboveDebug(lines: readonly LogLine[], since: number): void {
  const logged = lines.slice(since);
  expect(logged.filter((line) => line.level >= ERROR_LEVEL)).toEqual([]);
  expect(logged.filter((line) => line.level > DEBUG_LEVEL)).toEqual([]);
}

describe('a path that is not valid percent-encoding', () => {
  it.each(BAD_ENCODINGS)('the prober answers %s with a 400 naming it, logged at debug level', async (encoded) => {
    const before = proberLog.lines.length;
    for (const path of [`/api/v1/checks/${encoded}/results`, `/api/v1/checks/web${encoded}/results`]) {
      const { status, error } = await answer(`${prober.url}${path}`);
      expect(status).toBe(400);
      expect(error).toContain('is not valid percent-encoding');
      expect(error).toContain(path.split('/')[4]);
    }
    expectNothingAboveDebug(proberLog.lines, before);
    expect(proberLog.lines.slice(before).map((line) => line.msg)).toContain('request refused');
  });

  it.each(BAD_ENCODINGS)('the receiver answers %s with a 400 naming it, logged at debug level', async (encoded) => {
    const before = receiverLog.lines.length;
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const read = await answer(`${receiver.url}/api/v1/alerts/${encoded}`, { headers });
    const act = await answer(`${receiver.url}/api/v1/alerts/${encoded}/acknowledge`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ by: 'ops' }),
    });
    for (const { status, error } of [read, act]) {
      expect(status).toBe(400);
      expect(error).toContain(`\`${encoded}\` is not valid percent-encoding`);
    }
    expectNothingAboveDebug(receiverLog.lines, before);
  });
});

describe('a synthetic-check body the prober will not read', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    answer(`${prober.url}/api/v1/synthetic-check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      body,
    });

  it('is a 413 naming the limit when it is over it', async () => {
    const before = proberLog.lines.length;
    const { status, error } = await post(JSON.stringify({ check: 'web', message: 'x'.repeat(70_000) }));
    expect(status).toBe(413);
    expect(error).toBe('body: larger than the limit of 65536 bytes');
    expectNothingAboveDebug(proberLog.lines, before);
  });

  it('is a 400 when it is not JSON and a 415 in another charset', async () => {
    const before = proberLog.lines.length;
    const broken = await post('{"check": ');
    expect(broken.status).toBe(400);
    expect(broken.error).toMatch(/^body: is not valid JSON/);
    const latin1 = await post('{}', { 'content-type': 'application/json; charset=iso-8859-1' });
    expect(latin1.status).toBe(415);
    expect(latin1.error).toMatch(/^Content-Type: unsupported charset "ISO-8859-1"; send UTF-8$/);
    expectNothingAboveDebug(proberLog.lines, before);
  });
});

describe('a lifecycle action body the receiver will not read', () => {
  it('is a 413 naming the limit, logged at debug level', async () => {
    const before = receiverLog.lines.length;
    const { status, error } = await answer(`${receiver.url}/api/v1/alerts/some-id/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'ops', note: 'x'.repeat(70_000) }),
    });
    expect(status).toBe(413);
    expect(error).toMatch(/^body: larger than the limit of 65536 bytes/);
    expectNothingAboveDebug(receiverLog.lines, before);
  });
});
