// What either role answers to a request a client got wrong at the HTTP level, against `vigil start` (both roles in
// one process, logging at debug level): a path that is not valid percent-encoding, a body over the limit, not JSON,
// in another charset. Each is a 4xx naming what is wrong, logged at debug level at most: no request a client can
// make reaches the 500 answer or puts an error in the log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_LEVEL, logLines } from '../helpers/log-lines.js';
import { startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';

const TOKEN = 'e2e-admin-token';
const BAD_ENCODINGS = ['%ff%fe', '%c0%ae', '%', '%e2%82'];

let vigil: VigilProcess;
let proberUrl: string;
let receiverUrl: string;

beforeAll(async () => {
  const configDir = writeConfigDir({
    'checks.yml': 'checks:\n  - {id: web, enabled: false, endpoint: {url: "http://127.0.0.1:9/"}}\n',
  });
  vigil = await startVigil(configDir, {
    command: 'start',
    env: { VIGIL_ADMIN_TOKEN: TOKEN, VIGIL_LOG_LEVEL: 'debug' },
  });
  proberUrl = vigil.baseUrl;
  receiverUrl = vigil.receiverUrl!;
});

afterAll(async () => {
  await vigil?.stop();
});

const asAdmin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

/** The answer's status and error message. */
async function answer(url: string, init: RequestInit = {}): Promise<{ status: number; error: string }> {
  const response = await fetch(url, init);
  const body = (await response.json()) as { error: string };
  return { status: response.status, error: body.error };
}

/** The log lines written since `since` (a count of lines) and, once written, the refusal at debug level. */
async function expectLoggedAtDebugOnly(since: number): Promise<void> {
  // The answer can arrive before its log line: wait for the refusal, then look at everything since.
  for (let tries = 0; tries < 50 && !logLines(vigil.output()).slice(since).some(isRefusal); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const logged = logLines(vigil.output()).slice(since);
  expect(logged.filter((line) => line.level >= LOG_LEVEL.error)).toEqual([]);
  expect(logged.filter((line) => line.level > LOG_LEVEL.debug)).toEqual([]);
  expect(logged.filter(isRefusal).length).toBeGreaterThan(0);
}

const isRefusal = (line: { msg: string; level: number }): boolean =>
  line.msg === 'request refused' && line.level === LOG_LEVEL.debug;

const logged = (): number => logLines(vigil.output()).length;

describe('a path that is not valid percent-encoding', () => {
  it.each(BAD_ENCODINGS)('the prober answers %s with a 400 naming it, logged at debug level', async (encoded) => {
    const before = logged();
    for (const path of [`/api/v1/checks/${encoded}/results`, `/api/v1/checks/web${encoded}/results`]) {
      const { status, error } = await answer(`${proberUrl}${path}`);
      expect(status).toBe(400);
      expect(error).toContain('is not valid percent-encoding');
      expect(error).toContain(path.split('/')[4]);
    }
    await expectLoggedAtDebugOnly(before);
  });

  it.each(BAD_ENCODINGS)('the receiver answers %s with a 400 naming it, logged at debug level', async (encoded) => {
    const before = logged();
    const read = await answer(`${receiverUrl}/api/v1/alerts/${encoded}`, { headers: asAdmin });
    const act = await answer(`${receiverUrl}/api/v1/alerts/${encoded}/acknowledge`, {
      method: 'POST',
      headers: asAdmin,
      body: JSON.stringify({ by: 'ops' }),
    });
    for (const { status, error } of [read, act]) {
      expect(status).toBe(400);
      expect(error).toContain(`\`${encoded}\` is not valid percent-encoding`);
    }
    await expectLoggedAtDebugOnly(before);
  });
});

describe('a synthetic-check body the prober will not read', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    answer(`${proberUrl}/api/v1/synthetic-check`, {
      method: 'POST',
      headers: { ...asAdmin, ...headers },
      body,
    });

  it('is a 413 naming the limit when it is over it', async () => {
    const before = logged();
    // A batch of results may be up to 1 MB.
    const { status, error } = await post(JSON.stringify({ check: 'web', message: 'x'.repeat(1_100_000) }));
    expect(status).toBe(413);
    expect(error).toBe('body: larger than the limit of 1048576 bytes');
    await expectLoggedAtDebugOnly(before);
  });

  it('is a 400 when it is not JSON and a 415 in another charset', async () => {
    const before = logged();
    const broken = await post('{"check": ');
    expect(broken.status).toBe(400);
    expect(broken.error).toMatch(/^body: is not valid JSON/);
    const latin1 = await post('{}', { 'content-type': 'application/json; charset=iso-8859-1' });
    expect(latin1.status).toBe(415);
    expect(latin1.error).toMatch(/^Content-Type: unsupported charset "ISO-8859-1"; send UTF-8$/);
    await expectLoggedAtDebugOnly(before);
  });
});

describe('a lifecycle action body the receiver will not read', () => {
  it('is a 413 naming the limit, logged at debug level', async () => {
    const before = logged();
    const { status, error } = await answer(`${receiverUrl}/api/v1/alerts/some-id/acknowledge`, {
      method: 'POST',
      headers: asAdmin,
      body: JSON.stringify({ by: 'ops', note: 'x'.repeat(70_000) }),
    });
    expect(status).toBe(413);
    expect(error).toMatch(/^body: larger than the limit of 65536 bytes/);
    await expectLoggedAtDebugOnly(before);
  });
});
