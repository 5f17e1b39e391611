// Evidence read over the prober's HTTP API, as a receiver that shares no store with the prober reads it: against a
// real prober app (createProberApp with the checks API over a real SQLite store holding results), the evidence of a
// DNS-failing check equals the evidence read from the store directly, and so does the diagnosis built on it; a
// prober that is down, refuses the token, answers junk, too much or too slowly leaves the labels, and says so.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';

import {
  diagnoseWithRules,
  evidenceFromLabels,
  gatherEvidence,
  proberApiEvidence,
  type ProberApiEvidence,
} from '../../../src/diagnosis/index.js';
import { requireAdmin } from '../../../src/http/admin-auth.js';
import type { HttpServer } from '../../../src/http/server.js';
import type { CheckDefinition } from '../../../src/model/check.js';
import type { MaintenanceWindow } from '../../../src/model/maintenance.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { dnsCheck, httpCheck } from '../../helpers/checks.js';
import { startProberApi } from '../../helpers/prober-api-server.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';
import { DAY, HOUR, history, MINUTE, NOW, seed, subjectFor } from './scenarios.js';

const RESOLVER = '10.0.0.53:5353';
const NXDOMAIN = `NXDOMAIN: A www.example.com from ${RESOLVER}: the name does not exist`;
const SERVFAIL = `SERVFAIL: A api.example.com from ${RESOLVER}: the resolver failed`;

const checks: CheckDefinition[] = [
  dnsCheck('www.example.com', { id: 'www_dns', server: RESOLVER, service: 'www', component: 'dns' }),
  dnsCheck('api.example.com', { id: 'api_dns', server: RESOLVER, service: 'api', component: 'dns' }),
  httpCheck('https://deploy:S3cretPw@shop.example.com/health?token=abc', { id: 'shop', service: 'shop' }),
];

/**
 * Two days of history: www_dns failed for an hour yesterday and has failed again for the last 20 minutes (longer than
 * the lookback, so when it last passed is read before the open incident); api_dns fails on the same resolver.
 */
const results = [
  ...history('www_dns', NOW - 2 * DAY, NOW, MINUTE, (at) =>
    at >= NOW - 20 * MINUTE || (at >= NOW - DAY && at < NOW - DAY + HOUR)
      ? { status: 'down', reason: 'dns', message: NXDOMAIN, phases: { dns: 12.5 } }
      : undefined,
  ),
  ...history('api_dns', NOW - HOUR, NOW, MINUTE, (at) =>
    at >= NOW - 5 * MINUTE ? { status: 'down', reason: 'dns', message: SERVFAIL, phases: { dns: 3 } } : undefined,
  ),
  ...history('shop', NOW - HOUR, NOW, MINUTE),
];

const maintenance: MaintenanceWindow[] = [
  {
    kind: 'one-off',
    id: 'resolver-move',
    start: new Date(NOW + 30 * MINUTE).toISOString(),
    end: new Date(NOW + 60 * MINUTE).toISOString(),
    scope: { components: ['dns'] },
  },
];

const GATHERING = { lookbackMs: 10 * MINUTE, incidentLookbackMs: 7 * DAY };
const TOKEN = 'prober-admin-token';

let store: Store | undefined;
let prober: HttpServer | undefined;
let evidenceOf: ProberApiEvidence | undefined;
const rawServers: Server[] = [];

afterEach(async () => {
  await evidenceOf?.close();
  await prober?.stop();
  await store?.close();
  for (const server of rawServers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  [evidenceOf, prober, store] = [undefined, undefined, undefined];
});

async function seededStore(): Promise<Store> {
  store = await SqliteStore.open(path.join(makeTempDir('vigil-prober-api'), 'vigil.db'));
  await seed(store, results);
  return store;
}

/** The prober's HTTP app over the store; `guard` stands in front of the checks API. */
async function startProber(source: Store, guard?: RequestHandler): Promise<string> {
  prober = await startProberApi({
    store: source,
    checks,
    adminToken: TOKEN,
    ...(guard === undefined ? {} : { guard }),
  });
  return prober.url;
}

/** A bare server answering every request with `handler`, for the probers that misbehave. */
async function startRaw(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function reader(url: string, options: { adminToken?: string; timeoutMs?: number; maxResponseBytes?: number } = {}) {
  evidenceOf = proberApiEvidence(url, { checks, maintenance, ...GATHERING, ...options });
  return evidenceOf;
}

describe('evidence over the prober API', () => {
  it('is the evidence the store gives, for a DNS-failing check', async () => {
    const source = await seededStore();
    const url = await startProber(source);
    const subject = subjectFor('www_dns');
    const direct = await gatherEvidence(subject, { store: source, checks, maintenance, now: NOW, ...GATHERING });
    const overApi = await reader(url, { adminToken: TOKEN })(subject, NOW);

    expect(overApi.checks).toEqual(direct.checks);
    expect(overApi.alert).toEqual(direct.alert);
    expect(overApi.at).toBe(NOW);
    // The substance the rules read, spelled out: beyond the lookback, yesterday's incident, the co-failing check.
    const [www] = overApi.checks;
    expect(www).toMatchObject({
      target: { type: 'dns', dnsName: 'www.example.com', resolver: RESOLVER },
      lastHealthyAt: NOW - 21 * MINUTE,
      historySince: NOW - 2 * DAY,
      maintenance: [{ id: 'resolver-move', start: NOW + 30 * MINUTE, end: NOW + 60 * MINUTE }],
    });
    expect(www?.recent).toHaveLength(10);
    expect(www?.recent[0]?.phases).toEqual({ dns: 12.5 });
    expect(www?.incidents.map((incident) => incident.openedAt)).toEqual([NOW - 20 * MINUTE, NOW - DAY]);
    expect(www?.coFailing.map((other) => other.checkId)).toEqual(['api_dns']);
    expect(www?.coFailing[0]?.shared).toContain(`resolver=${RESOLVER}`);

    expect(overApi.sources).toEqual([
      {
        source: 'prober_api',
        available: true,
        note: `${direct.sources[0]?.note}, read from the prober's API at ${url}`,
      },
    ]);
    const fromApi = diagnoseWithRules(overApi);
    const fromStore = diagnoseWithRules(direct);
    expect(fromApi.probable_cause).toBe(fromStore.probable_cause);
    expect(fromApi.recommendations).toEqual(fromStore.recommendations);
    expect(fromApi.evidence.slice(0, -1)).toEqual(fromStore.evidence.slice(0, -1));
    expect(fromApi.probable_cause).toContain(`shared resolver ${RESOLVER}`);
    expect(fromApi.recommendations).toContain('dig @10.0.0.53 -p 5353 www.example.com A');
  });

  it('covers the failing checks of a component, as the store does', async () => {
    const source = await seededStore();
    const url = await startProber(source);
    const subject = { ...subjectFor('www_dns'), labels: { alertname: 'ComponentDown', component: 'dns' } };
    delete subject.checkId;
    const direct = await gatherEvidence(subject, { store: source, checks, maintenance, now: NOW, ...GATHERING });
    const overApi = await reader(url, { adminToken: TOKEN })(subject, NOW);
    expect(overApi.checks.map((check) => check.checkId)).toEqual(['api_dns', 'www_dns']);
    expect(overApi.checks).toEqual(direct.checks);
  });

  it('says so when this receiver does not know where a check of the prober points', async () => {
    const url = await startProber(await seededStore());
    const others = checks.filter((check) => check.id !== 'www_dns');
    evidenceOf = proberApiEvidence(url, { checks: others, maintenance, ...GATHERING });
    const evidence = await evidenceOf(subjectFor('www_dns'), NOW);
    expect(evidence.checks[0]?.recent).toHaveLength(10);
    expect(evidence.checks[0]).not.toHaveProperty('target');
    expect(evidence.sources[1]).toEqual({
      source: 'prober_api',
      available: true,
      note: 'not in the loaded checks (no target known): www_dns',
    });
  });

  it('sends the admin token to a prober that asks for it', async () => {
    const url = await startProber(await seededStore(), requireAdmin(TOKEN));
    const withToken = await reader(url, { adminToken: TOKEN })(subjectFor('www_dns'), NOW);
    expect(withToken.sources[0]).toMatchObject({ source: 'prober_api', available: true });
    expect(withToken.checks[0]?.recent).toHaveLength(10);
    await evidenceOf?.close();

    // The guard stands in front of the whole API, the list of checks included: that is the first read refused.
    const without = await reader(url)(subjectFor('www_dns'), NOW);
    expect(without.sources[0]).toEqual({
      source: 'prober_api',
      available: false,
      note: `the prober's API at ${url} could not be read: /api/v1/checks answered HTTP 401: {"error":"missing or wrong bearer token"}`,
    });
  });
});

describe('the results API a receiver reads', () => {
  it('bounds the results by `until` and says when the history starts', async () => {
    const url = await startProber(await seededStore());
    const until = new Date(NOW - DAY).toISOString();
    const answer = await fetch(`${url}/api/v1/checks/www_dns/results?until=${until}&limit=2`);
    const body = (await answer.json()) as { first_result_at: string; results: Array<{ started_at: string }> };
    expect(body.first_result_at).toBe(new Date(NOW - 2 * DAY).toISOString());
    expect(body.results.map((result) => result.started_at)).toEqual([
      new Date(NOW - DAY - 2 * MINUTE).toISOString(),
      new Date(NOW - DAY - MINUTE).toISOString(),
    ]);
    const refused = await fetch(`${url}/api/v1/checks/www_dns/results?until=yesterday`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'until must be an ISO 8601 time or Unix seconds, got `yesterday`' });
  });
});

describe('a prober that cannot be read', () => {
  /** The labels' evidence, with the note on the prober first. */
  function expectLabelsFallback(evidence: Awaited<ReturnType<ProberApiEvidence>>, why: RegExp): void {
    const labels = evidenceFromLabels(subjectFor('www_dns'), NOW);
    expect(evidence.checks).toEqual(labels.checks);
    expect(evidence.sources.slice(1)).toEqual(labels.sources);
    expect(evidence.sources[0]).toMatchObject({ source: 'prober_api', available: false });
    expect(evidence.sources[0]?.note).toMatch(why);
  }

  it('falls back to the labels when the prober is down, and the diagnosis says why it is thin', async () => {
    const url = await startProber(await seededStore());
    await prober?.stop();
    prober = undefined;
    const evidence = await reader(url)(subjectFor('www_dns'), NOW);
    expectLabelsFallback(evidence, /could not be read: \/api\/v1\/checks: connection refused \(ECONNREFUSED\)$/);
    const diagnosis = diagnoseWithRules(evidence);
    expect(diagnosis.evidence.join('\n')).toContain('prober_api (unavailable)');
  });

  it.each([
    ['an HTML page', 'text/html', '<html>maintenance</html>', /something other than a JSON object/],
    [
      'JSON of another shape',
      'application/json',
      '{"checks": [{"id": 1}]}',
      /not what the API serves: a check has no `type`/,
    ],
    ['a list', 'application/json', '[]', /something other than a JSON object/],
  ])('falls back when it answers %s', async (_case, type, body, why) => {
    const url = await startRaw((_req, res) => res.writeHead(200, { 'content-type': type }).end(body));
    expectLabelsFallback(await reader(url)(subjectFor('www_dns'), NOW), why);
  });

  it('falls back when an answer is larger than the limit, without reading it all', async () => {
    const url = await startRaw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"checks": [${'{"id": "x"},'.repeat(10_000)}]}`);
    });
    const evidence = await reader(url, { maxResponseBytes: 4096 })(subjectFor('www_dns'), NOW);
    expectLabelsFallback(evidence, /answered more than 4096 bytes/);
  });

  it('falls back within its timeout when the prober does not answer', async () => {
    const url = await startRaw(() => undefined);
    const started = Date.now();
    const evidence = await reader(url, { timeoutMs: 300 })(subjectFor('www_dns'), NOW);
    expect(Date.now() - started).toBeLessThan(2_000);
    expectLabelsFallback(evidence, /\/api\/v1\/checks: timed out/);
  });

  it('falls back when the URL is not http(s)', async () => {
    const evidence = await reader('ftp://prober.internal')(subjectFor('www_dns'), NOW);
    expectLabelsFallback(evidence, /receiver\.prober_url is not an http\(s\) URL/);
  });
});
