// Builds normalised check definitions for tests, with the defaults the config loader would apply.

import type {
  CheckDefinition,
  DnsCheck,
  HttpCheck,
  PostgresCheck,
  RedisCheck,
  TcpCheck,
  TlsCheck,
  WebsocketCheck,
} from '../../src/model/check.js';

type Base = Omit<CheckDefinition, 'type'>;

function base(id: string): Base {
  return {
    id,
    name: id,
    group: 'test',
    component: 'test',
    service: 'test',
    intervalMs: 30_000,
    timeoutMs: 2_000,
    enabled: true,
    failureThreshold: 1,
    performance: {},
  };
}

export function httpCheck(url: string, overrides: Partial<HttpCheck> = {}): HttpCheck {
  return {
    ...base(overrides.id ?? 'http_test'),
    type: 'http',
    method: 'GET',
    url,
    headers: {},
    followRedirects: true,
    maxRedirects: 5,
    maxBodyBytes: 1024 * 1024,
    tlsVerify: true,
    load: 1,
    validation: { statusCodes: [200], headers: {}, headersAbsent: [] },
    ...overrides,
  };
}

export function tcpCheck(host: string, port: number, overrides: Partial<TcpCheck> = {}): TcpCheck {
  return { ...base(overrides.id ?? 'tcp_test'), type: 'tcp', host, port, tls: false, tlsVerify: true, ...overrides };
}

export function dnsCheck(query: string, overrides: Partial<DnsCheck> = {}): DnsCheck {
  return { ...base(overrides.id ?? 'dns_test'), type: 'dns', query, recordType: 'A', expect: [], ...overrides };
}

export function tlsCheck(host: string, port: number, overrides: Partial<TlsCheck> = {}): TlsCheck {
  return {
    ...base(overrides.id ?? 'tls_test'),
    type: 'tls',
    host,
    port,
    verify: true,
    minDaysRemaining: 14,
    ...overrides,
  };
}

export function websocketCheck(url: string, overrides: Partial<WebsocketCheck> = {}): WebsocketCheck {
  return { ...base(overrides.id ?? 'ws_test'), type: 'websocket', url, headers: {}, ...overrides };
}

export function postgresCheck(connectionString: string, overrides: Partial<PostgresCheck> = {}): PostgresCheck {
  return { ...base(overrides.id ?? 'pg_test'), type: 'postgres', connectionString, query: 'SELECT 1', ...overrides };
}

export function redisCheck(url: string, overrides: Partial<RedisCheck> = {}): RedisCheck {
  return { ...base(overrides.id ?? 'redis_test'), type: 'redis', url, ...overrides };
}

/** A context whose signal fires after `timeoutMs`, as the scheduler gives each probe. */
export function probeContext(timeoutMs = 2_000): { signal: AbortSignal; timeoutMs: number } {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs };
}
