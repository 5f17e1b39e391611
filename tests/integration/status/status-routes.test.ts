// GET / and GET /api/v1/status over real HTTP: the public view, the private view with the admin token (header or
// query parameter), 401 for a wrong token, caching and security headers.

import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoData, FakeStatusSource, SECRET_MESSAGE } from '../../unit/status/fake-status-source.js';
import { startStatusServer, type StatusServer } from './status-server.js';

const TOKEN = 's3cret-admin-token';

let server: StatusServer;
let tokenless: StatusServer;
let failing: StatusServer;

beforeAll(async () => {
  server = await startStatusServer(new FakeStatusSource(demoData()), TOKEN);
  tokenless = await startStatusServer(new FakeStatusSource(demoData()), undefined);
  const broken = new FakeStatusSource(demoData());
  broken.incidents = () => Promise.reject(new Error('store unavailable'));
  failing = await startStatusServer(broken, TOKEN);
});

afterAll(async () => {
  await Promise.all([server?.close(), tokenless?.close(), failing?.close()]);
});

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

function componentIds(body: Record<string, unknown>): string[] {
  return (body['components'] as Array<{ id: string }>).map((c) => c.id);
}

describe('GET /', () => {
  it('serves the public page as HTML with a strict CSP and a short public cache', async () => {
    const response = await fetch(`${server.url}/`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=15');
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/,
    );
    expect(text).toContain('<h1>Acme status</h1>');
    expect(text).toContain('Partial outage');
    expect(text).toContain('Public API');
    expect(text).not.toContain('Infrastructure');
    expect(text).not.toContain(SECRET_MESSAGE.slice(0, 20));
  });

  it('sends the page gzipped to clients that accept it', async () => {
    const response = await request(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    const compressed = Buffer.from(await response.body.arrayBuffer());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(compressed).toString('utf8');
    expect(text).toContain('<h1>Acme status</h1>');
    expect(compressed.length).toBeLessThan(text.length / 4);
  });

  it('shows private components with ?token= and is then not cached', async () => {
    const response = await fetch(`${server.url}/?token=${TOKEN}`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(text).toContain('<span class="name">Infrastructure</span>');
    expect(text).toContain('Private view');
  });

  it('refuses a wrong token with 401 instead of the public page', async () => {
    const response = await fetch(`${server.url}/?token=wrong`);
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(text).toContain('invalid admin token');
    expect(text).not.toContain('Public API');
  });
});

describe('GET /api/v1/status', () => {
  it('answers the public view as JSON', async () => {
    const { response, body } = await getJson(`${server.url}/api/v1/status`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(body).toMatchObject({ title: 'Acme status', status: 'partial_outage', includes_private: false });
    expect(componentIds(body)).toEqual(['website', 'api']);
    expect(body['incidents']).toMatchObject({ current: [{ id: 'inc-api' }], recent: [{ id: 'inc-login' }] });
    expect(JSON.stringify(body)).not.toContain('db_primary');
  });

  it('includes private components with the bearer token', async () => {
    const { response, body } = await getJson(`${server.url}/api/v1/status`, { authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body['includes_private']).toBe(true);
    expect(componentIds(body)).toEqual(['website', 'api', 'infrastructure']);
    expect(body['incidents']).toMatchObject({
      current: [{ id: 'inc-db', last_message: SECRET_MESSAGE }, { id: 'inc-api' }],
    });
  });

  it('includes private components with the token as a query parameter', async () => {
    const { body } = await getJson(`${server.url}/api/v1/status?token=${encodeURIComponent(TOKEN)}`);
    expect(componentIds(body)).toContain('infrastructure');
  });

  it.each<[string, Record<string, string>, string]>([
    ['a wrong bearer token', { authorization: 'Bearer nope' }, ''],
    ['a token one character short', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, ''],
    ['an empty bearer token', { authorization: 'Bearer' }, ''],
    ['a wrong query token', {}, '?token=nope'],
    ['an empty query token', {}, '?token='],
  ])('refuses %s with 401', async (_case, headers, query) => {
    const { response, body } = await getJson(`${server.url}/api/v1/status${query}`, headers);
    expect(response.status).toBe(401);
    expect(body).toEqual({ error: 'invalid admin token' });
  });

  it('ignores other authorization schemes (a proxy in front may use basic auth)', async () => {
    const { response, body } = await getJson(`${server.url}/api/v1/status`, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(200);
    expect(componentIds(body)).toEqual(['website', 'api']);
  });

  it('refuses every token with 403 when no admin token is configured, and stays public without one', async () => {
    const refused = await getJson(`${tokenless.url}/api/v1/status`, { authorization: `Bearer ${TOKEN}` });
    expect(refused.response.status).toBe(403);
    expect(refused.body).toEqual({ error: 'private status is disabled: set VIGIL_ADMIN_TOKEN to enable it' });
    const open = await getJson(`${tokenless.url}/api/v1/status`);
    expect(open.response.status).toBe(200);
    expect(componentIds(open.body)).toEqual(['website', 'api']);
  });

  it('passes a failing source to the error boundary: 500, not a hang', async () => {
    const { response } = await getJson(`${failing.url}/api/v1/status`);
    expect(response.status).toBe(500);
    const page = await fetch(`${failing.url}/`);
    expect(page.status).toBe(500);
  });
});
