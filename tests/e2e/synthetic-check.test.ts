// Results from an outside runner (POST /api/v1/synthetic-check) and the badges that show them, against the built
// CLI: seed 004's payload exactly as its runners send it, a day's backlog in one batch that the SLA and the incidents
// follow, a timestamp from the future refused, Vigil's own vocabulary still accepted; badges that parse as XML,
// carry the SLA figure, escape the check's name and exist only for public checks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elements, parseXml } from '../helpers/strict-xml.js';
import { sampleValue, scrape, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { eventually } from '../helpers/wait-for.js';

const ADMIN = 'admin-token-for-tests';
const MINUTE = 60_000;
let vigil: VigilProcess;

const CHECKS = `
checks:
  - {id: api_health, name: "API <&> health", type: push, interval: 1m, grace: 1m, token_env: API_PUSH_TOKEN,
     component: backend, service: api}
  - {id: sla_api, type: push, interval: 1m, grace: 1m, token_env: API_PUSH_TOKEN, component: backend}
  - {id: hidden_api, type: push, interval: 1m, token_env: API_PUSH_TOKEN, component: internal}
`;

const STATUS_PAGE = `
components:
  - {id: backend, name: Backend, checks: [api_health, sla_api]}
  - {id: internal, name: Internal, checks: [hidden_api], public: false}
`;

beforeAll(async () => {
  const configDir = writeConfigDir({ 'checks.yml': CHECKS, 'status-page.yml': STATUS_PAGE });
  vigil = await startVigil(configDir, { env: { VIGIL_ADMIN_TOKEN: ADMIN, API_PUSH_TOKEN: 'push-token-for-tests' } });
});

afterAll(async () => {
  await vigil?.stop();
});

async function post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${vigil.baseUrl}/api/v1/synthetic-check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${vigil.baseUrl}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface ResultsAnswer {
  results: Array<{ status: string; reason: string | null; started_at: string; duration_ms: number }>;
}

describe('POST /api/v1/synthetic-check', () => {
  it("accepts seed 004's payload as written and stores it at its timestamp", async () => {
    const timestamp = new Date(Math.floor((Date.now() - 5 * MINUTE) / 1000) * 1000).toISOString();
    const seed = {
      name: 'api_health',
      status: 'up',
      response_time_ms: 150,
      timestamp,
      component: 'backend',
      service: 'api',
    };
    const answer = await post(seed);
    expect(answer).toMatchObject({ status: 202, body: { accepted: true, check: 'api_health', status: 'healthy' } });
    const stored = await eventually(
      () => getJson<ResultsAnswer>('/api/v1/checks/api_health/results'),
      (body) => body.results.length > 0,
    );
    expect(stored.results[0]).toMatchObject({ status: 'healthy', started_at: timestamp, duration_ms: 150 });
  });

  it("still takes Vigil's own vocabulary, and a down result without a reason gets `error`", async () => {
    const own = await post({ check: 'api_health', status: 'degraded', reason: 'slow', duration_ms: 900 });
    expect(own).toMatchObject({ status: 202, body: { check: 'api_health', status: 'degraded', reason: 'slow' } });
    const down = await post({ name: 'api_health', status: 'down', response_time_ms: 0, message: 'HTTP 503' });
    expect(down).toMatchObject({ status: 202, body: { status: 'down', reason: 'error' } });
  });

  it('refuses a timestamp from the future, an unknown check and an unknown status, naming the field', async () => {
    const future = new Date(Date.now() + 10 * MINUTE).toISOString();
    const answer = await post({ name: 'api_health', status: 'up', response_time_ms: 1, timestamp: future });
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toMatch(/^timestamp: .*future/);
    expect((await post({ name: 'nope', status: 'up' })).body['error']).toMatch(/^name: unknown check/);
    expect((await post({ name: 'api_health', status: 'sideways' })).body['error']).toMatch(/^status:/);
  });

  it('needs the admin token', async () => {
    const response = await fetch(`${vigil.baseUrl}/api/v1/synthetic-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer push-token-for-tests' },
      body: JSON.stringify({ name: 'api_health', status: 'up' }),
    });
    expect(response.status).toBe(401);
  });

  it('takes a 24 h backlog in one batch: 30 min down and 10 min degraded give a 24 h SLA of 97.917 %', async () => {
    const now = Date.now();
    const first = now - 24 * 60 * MINUTE + 30_000;
    const backlog = Array.from({ length: 1440 }, (_, minute) => ({
      name: 'sla_api',
      status: minute >= 600 && minute < 630 ? 'down' : minute >= 900 && minute < 910 ? 'degraded' : 'up',
      response_time_ms: 120,
      timestamp: new Date(first + minute * MINUTE).toISOString(),
    }));
    // Sent newest first: the prober puts them in time order itself.
    const answer = await post([...backlog.reverse(), { name: 'sla_api', status: 'up', timestamp: 'yesterday' }]);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ accepted: 1440, refused: 1 });
    const items = answer.body['results'] as Array<Record<string, unknown>>;
    expect(items[0]).toMatchObject({ accepted: true, check: 'sla_api', status: 'healthy' });
    expect(items[1440]).toMatchObject({ accepted: false });
    expect(items[1440]!['error']).toMatch(/^timestamp:/);

    const sla = await eventually(
      () => getJson<{ checks: Array<{ uptime_percent: number | null }> }>('/api/v1/sla?period=24h&check=sla_api'),
      (body) => (body.checks[0]?.uptime_percent ?? 100) < 99.9,
    );
    const percent = sla.checks[0]!.uptime_percent!;
    expect(percent).toBeCloseTo(97.917, 1);
    expect(Math.abs(percent - 97.917)).toBeLessThanOrEqual(0.05);

    const incidents = await getJson<{ incidents: Array<{ state: string; opened_at: string; closed_at: string }> }>(
      '/api/v1/incidents?check=sla_api',
    );
    expect(incidents.incidents).toEqual([
      expect.objectContaining({
        state: 'closed',
        opened_at: new Date(first + 600 * MINUTE).toISOString(),
        closed_at: new Date(first + 630 * MINUTE).toISOString(),
      }),
    ]);

    const metric = await eventually(
      async () => sampleValue(await scrape(vigil.baseUrl), 'uptime_sla_percent', { check: 'sla_api', window: '24h' }),
      (value) => value !== undefined && value < 99.9,
      45_000,
    );
    expect(Math.abs(metric! - 97.917)).toBeLessThanOrEqual(0.05);
  }, 60_000);
});

async function badge(path: string): Promise<{ status: number; cache: string | null; svg: string }> {
  const response = await fetch(`${vigil.baseUrl}/api/v1/badges/${path}`);
  return { status: response.status, cache: response.headers.get('cache-control'), svg: await response.text() };
}

function texts(svg: string): string[] {
  return elements(parseXml(svg))
    .filter((element) => element.name === 'text')
    .map((element) => element.text);
}

describe('badges', () => {
  it("status.svg is valid SVG, cached briefly, and escapes the check's name", async () => {
    const answer = await badge('api_health/status.svg');
    expect(answer.status).toBe(200);
    expect(answer.cache).toMatch(/max-age=\d+/);
    const root = parseXml(answer.svg);
    expect(root.name).toBe('svg');
    expect(root.attributes['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(texts(answer.svg)).toContain('API <&> health');
    expect(answer.svg).not.toContain('<&>');
  });

  it('uptime.svg carries the figure /api/v1/sla shows; response-time.svg the mean duration', async () => {
    const sla = await getJson<{ checks: Array<{ uptime_percent: number }> }>('/api/v1/sla?period=24h&check=sla_api');
    const shown = String(Number(sla.checks[0]!.uptime_percent.toFixed(3)));
    const uptime = await badge('sla_api/uptime.svg?window=24h');
    expect(uptime.status).toBe(200);
    expect(texts(uptime.svg)).toContain(`${shown}%`);
    const latency = await badge('sla_api/response-time.svg?window=7d');
    expect(latency.status).toBe(200);
    expect(texts(latency.svg)).toContain('120 ms');
    expect((await badge('sla_api/uptime.svg?window=2d')).status).toBe(400);
  });

  it('answers 404 for a private check as for an unknown one', async () => {
    const hidden = await badge('hidden_api/status.svg');
    const unknown = await badge('no_such_check/status.svg');
    expect(hidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(hidden.svg).toBe(unknown.svg);
    expect((await badge('hidden_api/uptime.svg')).status).toBe(404);
  });
});
