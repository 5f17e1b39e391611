// The prober's JSON API and reload as anyone who can reach the port sees them, against `vigil prober` over a store
// seeded with a day of history: private checks stay out of every answer without the admin token (and are there with
// it), reload needs the token (SIGHUP is the way without one), query values are read strictly, and the error
// budget reads as people read it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredResult } from '../../src/store/store.js';
import { probeHistory, seedStore } from '../helpers/stored-history.js';
import { makeTempDir } from '../helpers/temp-dirs.js';
import { startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';

const TOKEN = 'prober-admin-token';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;

const check = (id: string) => `  - {id: ${id}, enabled: false, endpoint: {url: "http://127.0.0.1:9/${id}"}}\n`;
const FILES = {
  'checks.yml': `checks:\n${['web', 'api', 'db', 'unlisted'].map(check).join('')}`,
  'status-page.yml': `
components:
  - {id: site, name: Site, checks: [web, api]}
  - {id: internal, name: Internal, checks: [db], public: false}
`,
};
const PUBLIC = ['api', 'web'];
const ALL = ['api', 'db', 'unlisted', 'web'];

const down = (message: string): Partial<StoredResult> => ({ status: 'down', reason: 'connect', message });
/**
 * A day of results a minute apart. web was down for the last two hours (far over its budget of 0.1 % of a day, 86 s);
 * api for one minute (a third of its budget left, a figure with many decimals); db and unlisted for the last ten
 * minutes, so each private check has an open incident.
 */
const RESULTS = [
  ...probeHistory('web', NOW - 24 * HOUR, NOW, MINUTE, (at) => (at >= NOW - 2 * HOUR ? down('refused') : undefined)),
  ...probeHistory('api', NOW - 24 * HOUR, NOW, MINUTE, (at) => (at === NOW - 3 * HOUR ? down('refused') : undefined)),
  ...['db', 'unlisted'].flatMap((id) =>
    probeHistory(id, NOW - 24 * HOUR, NOW, MINUTE, (at) => (at >= NOW - 10 * MINUTE ? down('db refused') : undefined)),
  ),
];

let prober: VigilProcess;
let unguarded: VigilProcess;

beforeAll(async () => {
  const dataDir = makeTempDir('vigil-data');
  await seedStore(dataDir, RESULTS);
  const configDir = writeConfigDir(FILES);
  [prober, unguarded] = await Promise.all([
    startVigil(configDir, { args: ['--data-dir', dataDir], env: { VIGIL_ADMIN_TOKEN: TOKEN } }),
    startVigil(configDir),
  ]);
});

afterAll(async () => {
  await Promise.all([prober?.stop(), unguarded?.stop()]);
});

const asAdmin = { authorization: `Bearer ${TOKEN}` };

async function get<Body>(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${prober.baseUrl}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Body };
}

/** The check ids an answer covers (`check` of results and incidents, `id` of /api/v1/checks). */
const idsOf = (items: ReadonlyArray<{ id?: string; check?: string }>): string[] =>
  [...new Set(items.map((item) => item.check ?? item.id!))].sort();

describe('private checks', () => {
  it('are absent from every public answer', async () => {
    const checks = await get<{ checks: Array<{ id: string }> }>('/api/v1/checks');
    expect(idsOf(checks.body.checks)).toEqual(PUBLIC);
    const sla = await get<{ checks: Array<{ check: string }> }>('/api/v1/sla?period=24h');
    expect(idsOf(sla.body.checks)).toEqual(PUBLIC);
    const incidents = await get<{ incidents: Array<{ check: string }> }>('/api/v1/incidents');
    expect(idsOf(incidents.body.incidents)).toEqual(PUBLIC);
    for (const id of ['db', 'unlisted']) {
      const results = await get<{ error: string }>(`/api/v1/checks/${id}/results`);
      expect(results).toEqual({ status: 404, body: { error: `unknown check \`${id}\`` } });
      expect((await get(`/api/v1/sla?check=${id}`)).status).toBe(404);
      const own = await get<{ incidents: unknown[] }>(`/api/v1/incidents?check=${id}`);
      expect(own.body.incidents).toEqual([]);
    }
  });

  it('are all there with the admin token', async () => {
    const checks = await get<{ checks: Array<{ id: string }> }>('/api/v1/checks', asAdmin);
    expect(idsOf(checks.body.checks)).toEqual(ALL);
    const sla = await get<{ checks: Array<{ check: string }> }>('/api/v1/sla?period=24h', asAdmin);
    expect(idsOf(sla.body.checks)).toEqual(ALL);
    const incidents = await get<{ incidents: Array<{ check: string }> }>('/api/v1/incidents', asAdmin);
    expect(idsOf(incidents.body.incidents)).toEqual(ALL);
    const results = await get<{ results: Array<{ message: string }> }>('/api/v1/checks/db/results?limit=1', asAdmin);
    expect(results.body.results).toHaveLength(1);
  });

  it('a wrong token is refused rather than answered with the public view', async () => {
    const refused = await get<{ error: string }>('/api/v1/checks', { authorization: 'Bearer guess' });
    expect(refused).toEqual({ status: 401, body: { error: 'invalid admin token' } });
  });
});

describe('POST /-/reload', () => {
  it('is refused without an admin token configured, and says SIGHUP still works', async () => {
    const response = await fetch(`${unguarded.baseUrl}/-/reload`, { method: 'POST' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(/VIGIL_ADMIN_TOKEN.*SIGHUP/);
  });

  it('needs the admin token when one is configured', async () => {
    const without = await fetch(`${prober.baseUrl}/-/reload`, { method: 'POST' });
    expect(without.status).toBe(401);
    const wrong = await fetch(`${prober.baseUrl}/-/reload`, { method: 'POST', headers: { authorization: 'Bearer x' } });
    expect(wrong.status).toBe(401);
    const allowed = await fetch(`${prober.baseUrl}/-/reload`, { method: 'POST', headers: asAdmin });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe('configuration reloaded\n');
  });
});

describe('query values', () => {
  it.each([
    ['/api/v1/checks/web/results?limit=1e3', /^limit must be an integer from 1 to 10000, got `1e3`$/],
    ['/api/v1/checks/web/results?limit=0x10', /^limit must be an integer from 1 to 10000, got `0x10`$/],
    ['/api/v1/checks/web/results?limit=0', /^limit must be an integer/],
    ['/api/v1/checks/web/results?limit=+5', /^limit must be an integer/],
    ['/api/v1/checks/web/results?limit=1&limit=2', /^limit must be given once, got it 2 times$/],
    ['/api/v1/checks/web/results?since=-1', /^since must be an ISO 8601 time or Unix seconds, got `-1`$/],
    ['/api/v1/checks/web/results?since=March%207', /^since must be an ISO 8601 time/],
    ['/api/v1/checks/web/results?until=2025-05-06T10:00:00', /^until must be an ISO 8601 time/],
    ['/api/v1/incidents?since=-1', /^since must be an ISO 8601 time/],
    ['/api/v1/incidents?limit=1e2', /^limit must be an integer/],
    ['/api/v1/incidents?state=closed', /^state must be `open`/],
    ['/api/v1/incidents?check=web&check=api', /^check must be given once, got it 2 times$/],
    ['/api/v1/sla?period=24h&period=7d', /^period must be given once, got it 2 times$/],
    ['/api/v1/sla?period=1w', /^period must be one of 24h, 7d, 30d, 90d, 365d, got `1w`$/],
    ['/api/v1/sla?check=web&check=api', /^check must be given once/],
  ])('%s is a 400 naming the parameter', async (path, message) => {
    const { status, body } = await get<{ error: string }>(path, asAdmin);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it('takes the plain forms', async () => {
    const since = Math.floor((NOW - HOUR) / 1000);
    for (const path of [
      `/api/v1/checks/web/results?limit=10&since=${since}`,
      `/api/v1/checks/web/results?since=${new Date(NOW - HOUR).toISOString()}&until=${NOW}`,
      '/api/v1/incidents?state=open&limit=5',
      '/api/v1/sla?period=7d&check=web',
    ]) {
      expect((await get(path)).status, path).toBe(200);
    }
  });
});

describe('the error budget in /api/v1/sla', () => {
  it('is clamped at -100 % when overspent, and rounded to two decimals', async () => {
    const { body } = await get<{ checks: Array<{ check: string; error_budget_remaining_percent: number }> }>(
      '/api/v1/sla?period=24h',
    );
    const budget = new Map(body.checks.map((entry) => [entry.check, entry.error_budget_remaining_percent]));
    expect(budget.get('web')).toBe(-100);
    const api = budget.get('api')!;
    // One minute down of a 86.4 s budget: a third of it left.
    expect(api).toBeCloseTo(30.56, 1);
    expect(Math.round(api * 100)).toBe(api * 100);
  });
});
