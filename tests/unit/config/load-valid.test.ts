// Valid config directories load into the normalised config: inheritance from groups and defaults, templating (with
// defaults, typed values and the environment), the flat `checks:` list, settings and the status page.

import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { HttpCheck } from '../../../src/model/check.js';
import { match } from '../../helpers/match.js';
import { fixtureDir, loadDir, loadedConfig } from './fixtures.js';

const ENV = { API_BASE_URL: 'https://api.example.com', AUTH_TOKEN: 's3cret', DB_PORT: '6543' };

describe('groups with inherited settings', () => {
  const config = loadedConfig(loadDir(fixtureDir('valid/groups'), ENV));

  it('normalises an http check with everything written out', () => {
    const expected: HttpCheck = {
      id: 'api_root',
      name: 'API Root',
      group: 'critical',
      component: 'backend',
      service: 'api',
      intervalMs: 30_000,
      timeoutMs: 5_000,
      enabled: true,
      failureThreshold: 2,
      performance: { targetMs: 200, warnMs: 300, criticalMs: 2_000 },
      type: 'http',
      method: 'POST',
      url: 'https://api.example.com/api/',
      headers: { Authorization: 'Bearer s3cret', 'content-type': 'application/json' },
      body: '{"probe":true,"region":"eu-west"}',
      followRedirects: true,
      maxRedirects: 5,
      maxBodyBytes: 64 * 1024,
      tlsVerify: true,
      load: 1,
      validation: {
        statusCodes: [200, 201],
        headers: { 'content-type': 'application/json.*' },
        headersAbsent: ['x-powered-by'],
        body: {
          type: 'json',
          containsAny: ['version', 'status'],
          containsAll: [],
          notContains: [],
          matches: [],
          jsonPath: [{ path: '$.status', equals: 'ok' }, { path: '$.version', matches: '^1\\.' }, { path: '$.db' }],
        },
      },
    };
    expect(config.checks[0]).toEqual(expected);
  });

  it('inherits from the group, then from defaults, and lets a check override either', () => {
    expect(
      config.checks.map(({ id, intervalMs, timeoutMs, failureThreshold, component, service }) => ({
        id,
        intervalMs,
        timeoutMs,
        failureThreshold,
        component,
        service,
      })),
    ).toEqual([
      {
        id: 'api_root',
        intervalMs: 30_000,
        timeoutMs: 5_000,
        failureThreshold: 2,
        component: 'backend',
        service: 'api',
      },
      {
        id: 'redis_health',
        intervalMs: 30_000,
        timeoutMs: 5_000,
        failureThreshold: 3,
        component: 'backend',
        service: 'redis_health',
      },
      {
        id: 'database_health',
        intervalMs: 60_000,
        timeoutMs: 3_000,
        failureThreshold: 2,
        component: 'backend',
        service: 'database_health',
      },
      {
        id: 'smtp_port',
        intervalMs: 120_000,
        timeoutMs: 10_000,
        failureThreshold: 2,
        component: 'edge',
        service: 'smtp_port',
      },
    ]);
    expect(config.checks[3]?.performance).toEqual({ criticalMs: 2_000 });
  });

  it('fills templates from the environment, else from their defaults, inside and around other text', () => {
    expect(config.checks[1]).toMatchObject({ type: 'redis', url: 'redis://localhost:6379' });
    expect(config.checks[2]).toMatchObject({
      type: 'postgres',
      connectionString: 'postgres://vigil@localhost:6543/vigil',
      query: 'SELECT 1',
    });
  });

  it('normalises a tcp check and its target', () => {
    expect(config.checks[3]).toMatchObject({
      type: 'tcp',
      host: 'localhost',
      port: 25,
      send: 'EHLO vigil\r\n',
      expect: '^220',
      tls: false,
      tlsVerify: true,
    });
  });

  it('shows one public component per group without a status-page.yml', () => {
    expect(config.statusPage).toEqual({
      title: 'Service status',
      components: [
        { id: 'critical', name: 'critical', checks: ['api_root', 'redis_health', 'database_health'], public: true },
        { id: 'edge', name: 'edge', checks: ['smtp_port'], public: true },
      ],
      periods: ['24h', '7d', '30d', '90d'],
      tiers: {},
    });
    expect(config.files).toEqual({ checks: path.resolve(fixtureDir('valid/groups'), 'checks.yml') });
  });

  it('uses every default setting without a config.yml', () => {
    expect(config.settings).toEqual({
      dataDir: 'data',
      server: { proberListen: { host: '0.0.0.0', port: 9470 }, receiverListen: { host: '0.0.0.0', port: 9471 } },
      prober: { maxConcurrency: 256 },
      sla: { targetPercent: 99.9, warningPercent: 99.5, criticalPercent: 99, countDegradedAsUp: true },
      storage: { backend: 'sqlite', sqlitePath: 'vigil.db' },
      retention: {
        resultsMs: 90 * 86_400_000,
        incidentsMs: 365 * 86_400_000,
        alertsMs: 30 * 86_400_000,
        hourlyRollupsMs: 90 * 86_400_000,
      },
      maintenance: [],
      receiver: { bodyLimitBytes: 1_048_576, dedupWindowMs: 300_000, alertTtlMs: 86_400_000, auth: 'none' },
      alertmanager: { timeoutMs: 10_000 },
      notifications: match.objectContaining({ seeded: true }),
    });
  });
});

describe('a flat checks list', () => {
  const config = loadedConfig(loadDir(fixtureDir('valid/flat')));
  const byId = new Map(config.checks.map((check) => [check.id, check]));

  it('puts checks without a group in `default` and applies a named group’s settings', () => {
    expect(config.checks.map((check) => [check.id, check.group, check.service, check.intervalMs])).toEqual([
      ['edge_tls', 'edge', 'edge-proxy', 20_000],
      ['homepage', 'default', 'homepage', 60_000],
      ['dns_example', 'edge', 'edge-proxy', 20_000],
      ['ws_echo', 'default', 'ws_echo', 10_000],
      ['cert_example', 'edge', 'edge-proxy', 20_000],
    ]);
  });

  it('fits the default timeout below a short interval', () => {
    expect(byId.get('ws_echo')).toMatchObject({ intervalMs: 10_000, timeoutMs: 5_000 });
  });

  it('reads an unquoted whole template as a YAML value: `{{ WS_ENABLED | false }}` is the boolean false', () => {
    expect(byId.get('ws_echo')).toMatchObject({
      enabled: false,
      url: 'ws://localhost:8080/ws',
      send: 'ping',
      expect: 'pong',
    });
    const enabled = loadedConfig(loadDir(fixtureDir('valid/flat'), { WS_ENABLED: 'true' })).checks[3]?.enabled;
    expect(enabled).toBe(true);
  });

  it('normalises dns, tls and websocket options', () => {
    expect(byId.get('homepage')).toMatchObject({
      method: 'GET',
      validation: { statusCodes: [], headers: {}, headersAbsent: [] },
    });
    expect(byId.get('dns_example')).toMatchObject({
      query: 'example.com',
      recordType: 'AAAA',
      server: '127.0.0.1:53',
      expect: ['2606:2800:220:1::1'],
    });
    expect(byId.get('edge_tls')).toEqual(
      expect.objectContaining({ host: 'example.com', port: 443, verify: true, minDaysRemaining: 14 }),
    );
    expect(byId.get('edge_tls')).not.toHaveProperty('serverName');
    expect(byId.get('cert_example')).toMatchObject({
      serverName: 'www.example.com',
      verify: false,
      minDaysRemaining: 30,
    });
    expect(byId.get('ws_echo')).toMatchObject({ headers: { Origin: 'https://example.com' } });
  });

  it('makes one status-page component per group in order of appearance', () => {
    expect(config.statusPage.components).toEqual([
      { id: 'edge', name: 'edge', checks: ['edge_tls', 'dns_example', 'cert_example'], public: true },
      { id: 'default', name: 'default', checks: ['homepage', 'ws_echo'], public: true },
    ]);
  });
});

describe('settings and status page files', () => {
  const dir = fixtureDir('valid/with-settings');
  const config = loadedConfig(loadDir(dir, { DATABASE_URL: 'postgres://vigil@db/vigil' }));

  it('merges YAML anchors and takes DATABASE_URL as the store when postgres_url is absent', () => {
    expect(config.checks[0]).toMatchObject({ id: 'api_root', intervalMs: 45_000, failureThreshold: 2 });
    expect(config.checks[1]).toMatchObject({ connectionString: 'postgres://vigil@db/vigil' });
    expect(config.settings).toEqual({
      dataDir: '/var/lib/vigil',
      server: { proberListen: { host: '::1', port: 19470 }, receiverListen: { host: '0.0.0.0', port: 0 } },
      prober: { maxConcurrency: 32 },
      sla: { targetPercent: 99, warningPercent: 99, criticalPercent: 99, countDegradedAsUp: true },
      storage: { backend: 'postgres', sqlitePath: 'vigil.db', postgresUrl: 'postgres://vigil@db/vigil' },
      retention: {
        resultsMs: 90 * 86_400_000,
        incidentsMs: 365 * 86_400_000,
        alertsMs: 30 * 86_400_000,
        hourlyRollupsMs: 90 * 86_400_000,
      },
      maintenance: [],
      receiver: { bodyLimitBytes: 1_048_576, dedupWindowMs: 300_000, alertTtlMs: 86_400_000, auth: 'none' },
      alertmanager: { timeoutMs: 10_000 },
      notifications: match.objectContaining({ seeded: true }),
    });
  });

  it('reads a templated number as a number', () => {
    const more = loadedConfig(loadDir(dir, { DATABASE_URL: 'postgres://db/vigil', PROBER_CONCURRENCY: '512' }));
    expect(more.settings.prober.maxConcurrency).toBe(512);
  });

  it('takes the components, periods and tiers as written', () => {
    expect(config.statusPage).toEqual({
      title: 'Example status',
      description: 'Live status of the example services',
      components: [
        {
          id: 'backend',
          name: 'Backend API',
          description: 'Public API',
          checks: ['api_root'],
          public: true,
          tier: 'gold',
        },
        { id: 'data', name: 'data', checks: ['database_health'], public: false },
      ],
      periods: ['24h', '30d', '365d'],
      tiers: { gold: 99.95, silver: 99.9 },
    });
    expect(config.files).toEqual({
      checks: path.resolve(dir, 'checks.yml'),
      config: path.resolve(dir, 'config.yml'),
      statusPage: path.resolve(dir, 'status-page.yml'),
    });
  });
});
