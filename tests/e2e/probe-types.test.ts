// Every check type at once, as a user runs them: one `vigil prober` (the built CLI) with a checks.yml against real
// local servers (TLS, DNS, WebSocket, PostgreSQL, Redis, a TCP banner, HTTPS), each type once healthy and once
// failing. Asserts what the user sees on /metrics and /api/v1/checks, and that no password leaks into either.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target-server.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { startBannerServer, startTlsServer, type TestTcpServer } from '../helpers/tcp-servers.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import { sampleValue, scrape, startVigil, writeConfigDir, type VigilProcess } from '../helpers/vigil-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { startWebsocketServer, type TestWebsocketServer } from '../helpers/websocket-echo-server.js';

const REDIS_PASSWORD = 'redis-e2e-secret-7f3a';
const WRONG_PASSWORD = 'wrong-e2e-secret-91c2';
const STATUS = { healthy: 0, degraded: 1, down: 2 } as const;

interface Servers {
  certificates: TestCertificates;
  selfSignedTls: TestTcpServer;
  expiredTls: TestTcpServer;
  https: HttpTarget;
  dns: TestDnsServer;
  websocket: TestWebsocketServer;
  postgres: PostgresServer;
  redis: RedisServer;
  banner: TestTcpServer;
}

interface Expected {
  status: keyof typeof STATUS;
  reason: string | null;
  message: RegExp;
}

const servers: Partial<Servers> = {};
let vigil: VigilProcess | undefined;

/** Starts every server at once; each is recorded as soon as it is up, so afterAll stops it even if another fails. */
async function startServers(): Promise<Servers> {
  const track = <K extends keyof Servers>(key: K, starting: Promise<Servers[K]>) =>
    starting.then((server) => (servers[key] = server));
  const tlsServers = track('certificates', createTestCertificates()).then((certificates) =>
    Promise.all([
      track('selfSignedTls', startTlsServer(certificates.selfSigned)),
      track('expiredTls', startTlsServer(certificates.expired)),
      track('https', startHttpTarget({ tls: certificates.selfSigned })),
    ]),
  );
  await Promise.all([
    tlsServers,
    track('dns', startDnsServer({ 'www.vigil.test': { A: ['192.0.2.10'] } })),
    track('websocket', startWebsocketServer()),
    track('postgres', startPostgres()),
    track('redis', startRedis({ password: REDIS_PASSWORD })),
    track('banner', startBannerServer()),
  ]);
  return servers as Servers;
}

function checksYml(s: Servers): string {
  const wrongPostgres = s.postgres.url.replace(`:${s.postgres.password}@`, `:${WRONG_PASSWORD}@`);
  const wrongRedis = s.redis.url.replace(`:${REDIS_PASSWORD}@`, `:${WRONG_PASSWORD}@`);
  return `
groups:
  - name: types
    interval: 10s
    timeout: 5s
    checks:
      - {id: tls_self_signed, type: tls, target: "127.0.0.1:${s.selfSignedTls.port}", verify: false, min_days_remaining: 1}
      - {id: tls_expired, type: tls, target: "127.0.0.1:${s.expiredTls.port}", verify: false}
      - {id: dns_found, type: dns, target: www.vigil.test, server: "${s.dns.address}", expect: [192.0.2.10]}
      - {id: dns_missing, type: dns, target: missing.vigil.test, server: "${s.dns.address}"}
      - {id: ws_echo, type: websocket, target: "${s.websocket.url}/echo", send: ping e2e, expect: "^ping e2e$"}
      - {id: ws_forbidden, type: websocket, target: "${s.websocket.url}/forbidden"}
      - {id: pg_ok, type: postgres, target: "${s.postgres.url}", query: SELECT 1}
      - {id: pg_wrong_password, type: postgres, target: "${wrongPostgres}"}
      - {id: redis_ok, type: redis, target: "${s.redis.url}"}
      - {id: redis_wrong_password, type: redis, target: "${wrongRedis}"}
      - {id: tcp_banner, type: tcp, target: "127.0.0.1:${s.banner.port}", expect: "^220 "}
      - {id: https_verified, endpoint: {url: "${s.https.url}/ok"}}
`;
}

function expectations(s: Servers): Record<string, Expected> {
  const dnsFrom = `from ${s.dns.address}`;
  return {
    tls_self_signed: {
      status: 'healthy',
      reason: null,
      message: /^TLSv1\.[23], certificate valid for \d+ days? \(.*, CN=localhost\)$/,
    },
    tls_expired: { status: 'down', reason: 'tls', message: /^certificate expired 3 days ago/ },
    dns_found: {
      status: 'healthy',
      reason: null,
      message: new RegExp(`^A www\\.vigil\\.test ${dnsFrom}: 192\\.0\\.2\\.10$`),
    },
    dns_missing: {
      status: 'down',
      reason: 'dns',
      message: new RegExp(`^NXDOMAIN: A missing\\.vigil\\.test ${dnsFrom}`),
    },
    ws_echo: { status: 'healthy', reason: null, message: /first message matched \/\^ping e2e\$\/: "ping e2e"$/ },
    ws_forbidden: { status: 'down', reason: 'status_code', message: /refused: HTTP 403 Forbidden$/ },
    pg_ok: { status: 'healthy', reason: null, message: /^SELECT 1 returned 1 row in \d+ ms$/ },
    pg_wrong_password: { status: 'down', reason: 'error', message: /password authentication failed for user "vigil"/ },
    redis_ok: { status: 'healthy', reason: null, message: /^PING answered PONG in \d+ ms$/ },
    redis_wrong_password: { status: 'down', reason: 'error', message: /^WRONGPASS/ },
    tcp_banner: { status: 'healthy', reason: null, message: /response matched \/\^220 \/: "220 vigil-test ready/ },
    https_verified: { status: 'down', reason: 'tls', message: /^self-signed certificate$/ },
  };
}

interface ApiCheck {
  id: string;
  status: string;
  last_result: { reason: string | null; message: string } | null;
}

let metrics = '';
const ADMIN_TOKEN = 'e2e-admin-token';
let checksJson = '';
let expected: Record<string, Expected> = {};

beforeAll(async () => {
  const started = await startServers();
  expected = expectations(started);
  vigil = await startVigil(writeConfigDir({ 'checks.yml': checksYml(started) }), {
    env: { VIGIL_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  const ids = Object.keys(expected);
  const ran = (check: string): boolean =>
    sampleValue(metrics, 'uptime_check_last_run_timestamp_seconds', { check }) !== undefined;
  await waitFor(
    async () => {
      metrics = await scrape(vigil!.baseUrl);
      return ids.every(ran);
    },
    25_000,
    () => `every check to run once; not yet run: ${ids.filter((id) => !ran(id)).join(', ')}`,
  );
  // The probes' own messages are for the admin token; without it the API words them neutrally.
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  checksJson = await (await fetch(`${vigil.baseUrl}/api/v1/checks`, { headers: admin })).text();
}, 60_000);

afterAll(async () => {
  await vigil?.stop();
  await Promise.allSettled([
    servers.selfSignedTls?.close(),
    servers.expiredTls?.close(),
    servers.https?.close(),
    servers.dns?.close(),
    servers.websocket?.close(),
    servers.postgres?.stop(),
    servers.redis?.stop(),
    servers.banner?.close(),
  ]);
  await servers.certificates?.close();
});

describe('vigil prober with every check type against real servers', () => {
  it('reports status, success, reason and message for each check', () => {
    const byId = new Map((JSON.parse(checksJson) as { checks: ApiCheck[] }).checks.map((check) => [check.id, check]));
    for (const [check, want] of Object.entries(expected)) {
      const result = byId.get(check)?.last_result;
      expect({
        check,
        status: sampleValue(metrics, 'uptime_check_status', { check }),
        success: sampleValue(metrics, 'uptime_check_success', { check }),
        apiStatus: byId.get(check)?.status,
        reason: result?.reason,
      }).toEqual({
        check,
        status: STATUS[want.status],
        success: want.status === 'down' ? 0 : 1,
        apiStatus: want.status,
        reason: want.reason,
      });
      expect(result?.message, check).toMatch(want.message);
    }
  });

  it("exports the certificate's expiry even when the chain is not verified", () => {
    const notAfter = servers.certificates!.selfSigned.notAfter.getTime() / 1000;
    const expiry = (check: string) => sampleValue(metrics, 'uptime_check_tls_cert_expiry_timestamp_seconds', { check });
    expect(expiry('tls_self_signed')).toBe(notAfter);
    expect(expiry('https_verified')).toBe(notAfter);
    expect(expiry('tls_expired')).toBe(servers.certificates!.expired.notAfter.getTime() / 1000);
  });

  it('exports the phases each protocol went through', () => {
    const phase = (check: string, name: string) =>
      sampleValue(metrics, 'uptime_check_phase_duration_seconds', { check, phase: name });
    for (const check of ['tcp_banner', 'pg_ok', 'redis_ok', 'tls_self_signed', 'ws_echo']) {
      expect(phase(check, 'connect'), `${check} connect`).toBeGreaterThan(0);
    }
    expect(phase('tls_self_signed', 'tls')).toBeGreaterThan(0);
    expect(phase('pg_ok', 'processing')).toBeGreaterThan(0);
    expect(phase('redis_ok', 'processing')).toBeGreaterThan(0);
    expect(phase('dns_found', 'dns')).toBeGreaterThan(0);
  });

  it('passes promtool check metrics with every check type exported', () => {
    expect(execFileSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' }).trim()).toBe('');
  });

  it('never shows a password in metrics, the API or the log', () => {
    const secrets = [servers.postgres!.password, REDIS_PASSWORD, WRONG_PASSWORD];
    for (const secret of secrets) {
      expect(metrics).not.toContain(secret);
      expect(checksJson).not.toContain(secret);
      expect(vigil!.output()).not.toContain(secret);
    }
    // The assertions above only mean something if the check that carries the password did run and say why.
    expect(checksJson).toContain('password authentication failed');
  });
});
