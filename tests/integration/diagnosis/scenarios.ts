// Realistic failure histories for the rule diagnosis, one per rule family plus one no rule fits and one where rules
// compete: the checks as the config loader gives them, and the results their probes would have stored, written to a
// real store (incidents derived by the prober's own incident tracker). Each says which rule should win and what the
// diagnosis must name.

import type { CheckDefinition } from '../../../src/model/check.js';
import type { StoredResult } from '../../../src/store/store.js';
import type { DiagnosisSubject } from '../../../src/diagnosis/index.js';
import type { RuleFamily } from '../../../src/diagnosis/rules/index.js';
import { dnsCheck, httpCheck, postgresCheck, tcpCheck, tlsCheck } from '../../helpers/checks.js';
import { probeHistory, seedResults, type ResultShape } from '../../helpers/stored-history.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** When the alerts are diagnosed: a Friday noon, UTC. */
export const NOW = Date.UTC(2025, 0, 10, 12, 0);

export interface Scenario {
  name: string;
  checks: CheckDefinition[];
  results: StoredResult[];
  /** The check the alert is about. */
  checkId: string;
  expected: {
    rule: RuleFamily | 'none';
    cause: RegExp[];
    /** Each matches some evidence item. */
    evidence: RegExp[];
    /** Each is contained in some recommendation. */
    recommendations: string[];
    confidence?: 'low' | 'medium' | 'high';
  };
}

type Shape = ResultShape;

/** Results of one check every `spacingMs` over [from, to), each shaped by `shape` (undefined: a healthy probe). */
export const history = probeHistory;

/** Writes the results and the incidents the prober would have derived from them. */
export const seed = seedResults;

export function subjectFor(checkId: string): DiagnosisSubject {
  return {
    alertname: 'UptimeCheckDown',
    severity: 'critical',
    labels: { alertname: 'UptimeCheckDown', check: checkId, severity: 'critical' },
    annotations: { summary: `${checkId} is down` },
    startsAt: NOW - 5 * MINUTE,
    checkId,
  };
}

/** The last `count` probes of a series every `spacing` ending just before NOW fail with `failure`. */
function failingTail(count: number, spacing: number, failure: Partial<StoredResult>) {
  return (at: number): Shape => (at >= NOW - count * spacing ? { status: 'down', ...failure } : undefined);
}

/** An hour of probes every `spacing`, the last `count` failing with `failure`. */
function failingLastHour(checkId: string, spacing: number, count: number, failure: Partial<StoredResult>) {
  return history(checkId, NOW - HOUR, NOW, spacing, failingTail(count, spacing, failure));
}

const DNS_FAILURE = 'NXDOMAIN: A www.example.com from 10.0.0.53:5353: the name does not exist';

export const scenarios: Scenario[] = [
  {
    name: 'DNS: the name no longer exists at the configured resolver',
    checks: [dnsCheck('www.example.com', { id: 'www_dns', server: '10.0.0.53:5353', service: 'www' })],
    results: history(
      'www_dns',
      NOW - 2 * HOUR,
      NOW,
      MINUTE,
      failingTail(4, MINUTE, { reason: 'dns', message: DNS_FAILURE, phases: { dns: 12 } }),
    ),
    checkId: 'www_dns',
    expected: {
      rule: 'dns',
      cause: [/DNS problem with www\.example\.com/, /NXDOMAIN/, /resolver 10\.0\.0\.53:5353/],
      evidence: [/4 consecutive failed results since 2025-01-10 11:56 UTC/, /last passed at 2025-01-10 11:55 UTC/],
      recommendations: ['dig @10.0.0.53 -p 5353 www.example.com A'],
      confidence: 'high',
    },
  },
  {
    name: 'connection refused: nothing listens on the mail port',
    checks: [tcpCheck('mail.internal', 25, { id: 'smtp', service: 'mail' })],
    results: failingLastHour('smtp', 30_000, 3, {
      reason: 'connect',
      message: 'connection refused by mail.internal:25',
      phases: { connect: 1 },
    }),
    checkId: 'smtp',
    expected: {
      rule: 'connection_refused',
      cause: [/nothing listens on mail\.internal:25/, /process is down or the port is closed/],
      evidence: [/smtp: 3 consecutive failed results/, /connection refused by mail\.internal:25/],
      recommendations: ['nc -vz mail.internal 25', "ss -ltnp 'sport = :25'"],
      confidence: 'high',
    },
  },
  {
    name: 'timeout: connection attempts get no answer',
    checks: [httpCheck('https://api.example.com/orders?token=abc123', { id: 'orders_api', service: 'orders' })],
    results: failingLastHour('orders_api', 30_000, 2, {
      reason: 'timeout',
      message: 'no connection to api.example.com:443 within 5s',
      durationMs: 5_000,
      phases: { dns: 2, connect: 4_998 },
    }),
    checkId: 'orders_api',
    expected: {
      rule: 'timeout',
      cause: [/network problem or a dead host/, /api\.example\.com:443/, /connect phase/],
      evidence: [/stalled in the connect phase; phase times: dns 2 ms, connect 4998 ms/],
      recommendations: ['nc -vz -w 5 api.example.com 443', 'traceroute -T -p 443 api.example.com'],
      confidence: 'medium',
    },
  },
  {
    name: 'TLS: the certificate expired twenty minutes ago',
    checks: [tlsCheck('www.example.com', 443, { id: 'www_cert', service: 'www' })],
    results: history('www_cert', NOW - HOUR, NOW, MINUTE, (at) => {
      const expiresAt = NOW - 20 * MINUTE;
      // Stored as the probes give it: Unix seconds.
      const certExpiresAt = expiresAt / 1000;
      if (at < expiresAt) {
        return {
          status: 'degraded',
          reason: 'tls',
          message: 'certificate expires in 12 minutes (2025-01-10T11:40:00Z, CN=www.example.com)',
          certExpiresAt,
        };
      }
      return {
        status: 'down',
        reason: 'tls',
        message: 'certificate expired 5 minutes ago (2025-01-10T11:40:00Z, CN=www.example.com)',
        certExpiresAt,
      };
    }),
    checkId: 'www_cert',
    expected: {
      rule: 'tls',
      cause: [/expired certificate/, /www\.example\.com on www\.example\.com:443/, /2025-01-10 11:40 UTC/],
      evidence: [/expired at 2025-01-10 11:40 UTC/],
      recommendations: [
        'openssl s_client -connect www.example.com:443 -servername www.example.com',
        'Renew the certificate for www.example.com',
      ],
      confidence: 'high',
    },
  },
  {
    name: 'deployment: HTTP 503 after three days without an incident (its certificate valid for two months)',
    checks: [httpCheck('https://shop.example.com/health', { id: 'shop_health', service: 'shop' })],
    results: history('shop_health', NOW - 3 * DAY, NOW, 5 * MINUTE, (at) => ({
      // Every HTTPS probe stores its certificate's expiry, in Unix seconds.
      certExpiresAt: (NOW + 60 * DAY) / 1000,
      ...failingTail(5, 5 * MINUTE, {
        reason: 'status_code',
        message: 'HTTP 503, expected 200',
        httpStatus: 503,
      })(at),
    })),
    checkId: 'shop_health',
    expected: {
      rule: 'deployment',
      cause: [/change \(deployment, configuration\) to shop shortly before 2025-01-10 11:35 UTC/, /HTTP 503/],
      evidence: [/no incident of shop_health since 2025-01-07 12:00 UTC \(2 days 23 hours before the errors\)/],
      recommendations: ['curl -sv https://shop.example.com/health', 'deploys and configuration changes of shop'],
      confidence: 'medium',
    },
  },
  {
    name: 'periodic: the partner API rate-limits the probes',
    checks: [httpCheck('https://partner.example.net/v1/quotes', { id: 'partner_quotes', service: 'quotes' })],
    results: failingLastHour('partner_quotes', MINUTE, 3, {
      reason: 'status_code',
      message: 'HTTP 429, expected 200',
      httpStatus: 429,
    }),
    checkId: 'partner_quotes',
    expected: {
      rule: 'periodic',
      cause: [/rate limiting by partner\.example\.net/, /HTTP 429/],
      evidence: [/3 of the last 3 failed results answered HTTP 429/],
      recommendations: ['curl -sv https://partner.example.net/v1/quotes and read the Retry-After'],
      confidence: 'high',
    },
  },
  {
    name: 'periodic: failures every six hours point at a scheduled job (and beat the timeout reading)',
    checks: [httpCheck('https://reports.example.com/ready', { id: 'reports', service: 'reports' })],
    results: history('reports', NOW - 26 * HOUR, NOW, 5 * MINUTE, (at) => {
      // A job every 6 hours, the latest 10 minutes ago: each time the check fails for two probes.
      const latestRun = NOW - 10 * MINUTE;
      const offset = (((at - latestRun) % (6 * HOUR)) + 6 * HOUR) % (6 * HOUR);
      const inJob = at >= latestRun - 24 * HOUR && (offset === 0 || offset === 5 * MINUTE);
      return inJob
        ? {
            status: 'down',
            reason: 'timeout',
            message: 'no response headers within 5s',
            durationMs: 5_000,
            phases: { dns: 1, connect: 2, processing: 4_997 },
          }
        : undefined;
    }),
    checkId: 'reports',
    expected: {
      rule: 'periodic',
      cause: [/scheduled job/, /reports\.example\.com/, /every 6 hours/],
      evidence: [/5 incidents of reports started 6 hours apart/, /also \(timeout, medium\)/],
      recommendations: ['scheduled every 6 hours around 11:50 UTC'],
      confidence: 'high',
    },
  },
  {
    name: 'exhaustion: latency climbs for forty minutes, then the service stops answering',
    checks: [httpCheck('https://search.example.com/q', { id: 'search', service: 'search' })],
    results: history('search', NOW - 43 * MINUTE, NOW, MINUTE, (at, index) => {
      if (at >= NOW - 3 * MINUTE) {
        return {
          status: 'down',
          reason: 'timeout',
          message: 'no response headers within 5s',
          durationMs: 5_000,
          phases: { processing: 4_990 },
        };
      }
      // A steady climb with a little jitter: 60 ms to about 1.2 s.
      const durationMs = 60 + index * 28 + (index % 4) * 45;
      return {
        durationMs,
        status: durationMs > 500 ? 'degraded' : 'healthy',
        ...(durationMs > 500 ? { reason: 'slow' } : {}),
      };
    }),
    checkId: 'search',
    expected: {
      rule: 'exhaustion',
      cause: [/resource exhaustion in search/, /rose steadily from \d+ ms to \d+ ms over 39 minutes/],
      evidence: [
        /latency of search rose from a median of \d+ ms/,
        /correlation with time 0\.9\d/,
        /also \(timeout, medium\): .*overload|before failing, latency rose/,
      ],
      recommendations: [
        'memory, open connections, worker or thread pool and queue depth of search on search.example.com',
      ],
      confidence: 'high',
    },
  },
  {
    name: 'shared dependency: three checks of one database server fail together (beats datastore and refused)',
    checks: [
      postgresCheck('postgres://orders:0rders-pw@db.internal:5432/orders', { id: 'orders_db', service: 'orders' }),
      postgresCheck('postgres://billing:b1lling-pw@db.internal:5432/billing', { id: 'billing_db', service: 'billing' }),
      tcpCheck('db.internal', 5432, { id: 'db_port', service: 'platform' }),
      httpCheck('https://www.example.com/', { id: 'www_home', service: 'www' }),
    ],
    results: [
      ...['orders_db', 'billing_db', 'db_port'].flatMap((id) =>
        failingLastHour(id, 30_000, 4, {
          reason: 'connect',
          message: 'connection refused by db.internal:5432',
          phases: { connect: 1 },
        }),
      ),
      ...history('www_home', NOW - HOUR, NOW, 30_000),
    ],
    checkId: 'orders_db',
    expected: {
      rule: 'shared_dependency',
      cause: [/fault of the shared endpoint db\.internal:5432 rather than of orders_db alone/, /2 other checks/],
      evidence: [
        /2 other checks down now share endpoint db\.internal:5432 with orders_db: billing_db \(connect\), db_port \(connect\)/,
        /2 of them fail with the same reason \(connect\)/,
        /also \(datastore, high\): error class: connection/,
        /also \(connection_refused, high\): Likely nothing listens on db\.internal:5432/,
      ],
      recommendations: ['nc -vz db.internal 5432', 'psql -h db.internal -p 5432 -d orders'],
      confidence: 'high',
    },
  },
  {
    name: 'shared dependency, weighed: two paths of one endpoint answer 503 while a third passes',
    checks: [
      httpCheck('https://shop.example.com/cart', { id: 'shop_cart', service: 'shop' }),
      httpCheck('https://shop.example.com/checkout', { id: 'shop_checkout', service: 'shop' }),
      httpCheck('https://shop.example.com/', { id: 'shop_home', service: 'shop' }),
    ],
    results: [
      ...['shop_cart', 'shop_checkout'].flatMap((id) =>
        failingLastHour(id, 30_000, 4, { reason: 'status_code', message: 'HTTP 503, expected 200', httpStatus: 503 }),
      ),
      ...history('shop_home', NOW - HOUR, NOW, 30_000),
    ],
    checkId: 'shop_cart',
    expected: {
      rule: 'shared_dependency',
      cause: [/Possibly a partial fault of endpoint shop\.example\.com:443, but 1 check using it passes/],
      evidence: [
        /1 other check down now shares endpoint shop\.example\.com:443 with shop_cart: shop_checkout \(status_code\)/,
        /1 check sharing it has no open incident: shop_home/,
      ],
      recommendations: [
        'Compare what shop_cart and the other failing checks test with what shop_home tests',
        'curl -sv https://shop.example.com/cart',
      ],
      confidence: 'low',
    },
  },
  {
    name: 'validation: the status endpoint answers 200 with status "degraded"',
    checks: [httpCheck('https://api.example.com/status', { id: 'api_status', service: 'api' })],
    results: failingLastHour('api_status', 30_000, 6, {
      reason: 'json_path',
      message: '$.status is "degraded", expected "ok"',
      httpStatus: 200,
    }),
    checkId: 'api_status',
    expected: {
      rule: 'validation',
      cause: [/application-level regression in api/, /answers HTTP 200/, /\$\.status is \\"degraded\\"/],
      evidence: [/failed assertion: \$\.status is "degraded", expected "ok"/],
      recommendations: ['curl -s https://api.example.com/status | jq .status'],
      confidence: 'high',
    },
  },
  {
    name: "datastore: PostgreSQL refuses the check's password",
    checks: [postgresCheck('postgres://app:s3cret-pw@db.internal:5432/orders', { id: 'orders_pg', service: 'orders' })],
    results: failingLastHour('orders_pg', 30_000, 3, {
      reason: 'error',
      message: 'password authentication failed for user "app" (SQLSTATE 28P01)',
      phases: { connect: 4 },
    }),
    checkId: 'orders_pg',
    expected: {
      rule: 'datastore',
      cause: [/credentials of the check no longer work on PostgreSQL database orders on db\.internal:5432/],
      evidence: [/error class: auth/],
      recommendations: ["psql -h db.internal -p 5432 -d orders -c 'SELECT 1'", 'pg_hba.conf on db.internal'],
      confidence: 'high',
    },
  },
  {
    name: 'no rule fits: an unexpected probe error',
    checks: [httpCheck('https://legacy.example.com/', { id: 'legacy', service: 'legacy' })],
    results: failingLastHour('legacy', MINUTE, 2, {
      reason: 'error',
      message: 'unexpected error: socket hang up in a plug-in',
    }),
    checkId: 'legacy',
    expected: {
      rule: 'none',
      cause: [],
      evidence: [
        /legacy: 60 results in the lookback, the newest down at 2025-01-10 11:59 UTC \(error: unexpected error/,
        /rules tried: shared_dependency, tls, datastore, dns/,
        /evidence from store: results of the last 60 min/,
      ],
      recommendations: ['Open the check and confirm the failure'],
      confidence: 'low',
    },
  },
];
