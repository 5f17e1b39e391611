// The rule families as pure functions: the cases the stored scenarios do not cover (other kinds of the same fault,
// and what must NOT be concluded), plus the ranking and the "insufficient evidence" diagnosis.

import { describe, expect, it } from 'vitest';
import { diagnoseWithRules, evidenceFromLabels, ruleFindings } from '../../../src/diagnosis/index.js';
import { rules } from '../../../src/diagnosis/rules/index.js';
import type { CheckEvidence, DiagnosisEvidence, ResultEvidence } from '../../../src/model/diagnosis.js';

const NOW = Date.UTC(2025, 0, 10, 12, 0);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function result(minutesAgo: number, overrides: Partial<ResultEvidence> = {}): ResultEvidence {
  return {
    at: NOW - minutesAgo * MINUTE,
    status: 'healthy',
    message: 'HTTP 200',
    durationMs: 40,
    phases: {},
    ...overrides,
  };
}

/** Healthy results every minute from `from` minutes ago, then `failures` failing ones up to now. */
function series(from: number, failures: number, failure: Partial<ResultEvidence>): ResultEvidence[] {
  const results: ResultEvidence[] = [];
  for (let ago = from; ago > failures; ago -= 1) results.push(result(ago));
  for (let ago = failures; ago > 0; ago -= 1) results.push(result(ago, { status: 'down', ...failure }));
  return results;
}

function check(overrides: Partial<CheckEvidence> = {}): CheckEvidence {
  return {
    checkId: 'api',
    service: 'api',
    component: 'backend',
    target: {
      type: 'http',
      host: 'api.example.com',
      port: 443,
      url: 'https://api.example.com/v1',
      serverName: 'api.example.com',
    },
    recent: [],
    incidents: [],
    coFailing: [],
    maintenance: [],
    ...overrides,
  };
}

function evidenceOf(...checks: CheckEvidence[]): DiagnosisEvidence {
  return {
    alert: { alertname: 'UptimeCheckDown', severity: 'critical', labels: {}, annotations: {}, startsAt: NOW },
    checks,
    sources: [{ source: 'store', available: true, note: 'results of the last 60 min' }],
    at: NOW,
  };
}

describe('dns', () => {
  it('names the host of an http check and the system resolver', () => {
    const evidence = check({
      recent: series(10, 2, { reason: 'dns', message: 'DNS lookup for api.example.com failed: no such host' }),
    });
    const finding = rules.dns(evidence, evidenceOf(evidence));
    expect(finding?.probableCause).toMatch(/api\.example\.com.*NXDOMAIN.*system resolver/);
    expect(finding?.recommendations).toContain('dig api.example.com A');
  });

  it('reads a dns check whose answers changed', () => {
    const evidence = check({
      target: { type: 'dns', dnsName: 'mx.example.com', recordType: 'MX', resolver: '1.1.1.1' },
      recent: series(5, 1, {
        reason: 'body',
        message: 'MX mx.example.com from 1.1.1.1: missing "mail.example.com"; got 10 other.example.com',
      }),
    });
    const finding = rules.dns(evidence, evidenceOf(evidence));
    expect(finding?.summary).toMatch(/does not have the expected records/);
    expect(finding?.recommendations[0]).toBe('dig @1.1.1.1 mx.example.com MX');
    expect(finding?.confidence).toBe('medium');
  });

  it('says nothing about a check that passes now', () => {
    const evidence = check({
      recent: [result(2, { status: 'down', reason: 'dns', message: 'DNS lookup failed' }), result(1)],
    });
    expect(rules.dns(evidence, evidenceOf(evidence))).toBeUndefined();
  });
});

describe('tls', () => {
  it('warns of a certificate expiring within two weeks while the check still passes', () => {
    const evidence = check({ recent: series(5, 0, {}), certExpiresAt: NOW + 3 * DAY });
    const finding = rules.tls(evidence, evidenceOf(evidence));
    expect(finding?.summary).toBe('the certificate of api.example.com on api.example.com:443 expires in 3 days');
    expect(finding?.recommendations[1]).toMatch(
      /^Renew the certificate for api\.example\.com before 2025-01-13 12:00 UTC/,
    );
  });

  it('names a host name mismatch', () => {
    const message = 'certificate verification failed: certificate is not valid for api.example.com';
    const evidence = check({ recent: series(5, 2, { reason: 'tls', message }) });
    const finding = rules.tls(evidence, evidenceOf(evidence));
    expect(finding?.probableCause).toMatch(/does not cover the name/);
    expect(finding?.recommendations).toContain(
      'Serve a certificate whose subject alternative names include api.example.com on api.example.com:443.',
    );
  });

  it('leaves a certificate valid for months alone', () => {
    const evidence = check({ recent: series(5, 0, {}), certExpiresAt: NOW + 90 * DAY });
    expect(rules.tls(evidence, evidenceOf(evidence))).toBeUndefined();
  });
});

describe('datastore', () => {
  it('names a Redis timeout', () => {
    const evidence = check({
      target: { type: 'redis', host: 'cache.internal', port: 6379 },
      recent: series(5, 2, { reason: 'timeout', message: 'cache.internal:6379 did not answer in time' }),
    });
    const finding = rules.datastore(evidence, evidenceOf(evidence));
    expect(finding?.summary).toBe('Redis on cache.internal:6379: it does not answer in time');
    expect(finding?.recommendations[0]).toBe('redis-cli -h cache.internal -p 6379 ping');
  });

  it('classes a missing table as a query error', () => {
    const evidence = check({
      target: { type: 'postgres', host: 'db', port: 5432, database: 'app' },
      recent: series(5, 2, { reason: 'error', message: 'relation "jobs" does not exist (SQLSTATE 42P01)' }),
    });
    expect(rules.datastore(evidence, evidenceOf(evidence))?.evidence).toContain('error class: query');
  });

  it('ignores other check types', () => {
    const evidence = check({ recent: series(5, 2, { reason: 'timeout', message: 'no response headers within 5s' }) });
    expect(rules.datastore(evidence, evidenceOf(evidence))).toBeUndefined();
  });
});

describe('server errors', () => {
  it('names the status and since when for an endpoint that has answered 5xx since its first probe', () => {
    const evidence = check({
      recent: series(5, 5, { reason: 'status_code', message: 'HTTP 500, expected 200', httpStatus: 500 }),
      historySince: NOW - 5 * MINUTE,
    });
    expect(ruleFindings(evidenceOf(evidence)).map((finding) => finding.rule)).toEqual(['server_error']);
    const finding = rules.server_error(evidence, evidenceOf(evidence));
    expect(finding?.summary).toBe('https://api.example.com/v1 answers HTTP 500 since 2025-01-10 11:55 UTC');
    expect(finding?.evidence).toContain('not seen healthy in the lookback');
    expect(finding?.recommendations).toEqual([
      'curl -sv https://api.example.com/v1',
      'Read the error log of api from 2025-01-10 11:55 UTC: the HTTP 500 body and log name the failing step.',
    ]);
    expect(finding?.confidence).toBe('low');
  });

  it('points at the application behind the proxy for 502 and 504', () => {
    const evidence = check({
      recent: series(30, 3, { reason: 'status_code', message: 'HTTP 502, expected 200', httpStatus: 502 }),
    });
    expect(rules.server_error(evidence, evidenceOf(evidence))?.probableCause).toMatch(/behind the proxy/);
  });

  it('gives way to the deployment story after a long healthy run', () => {
    const evidence = check({
      recent: series(60, 3, { reason: 'status_code', message: 'HTTP 503, expected 200', httpStatus: 503 }),
      historySince: NOW - 8 * 60 * MINUTE,
      lastHealthyAt: NOW - 4 * MINUTE,
    });
    expect(ruleFindings(evidenceOf(evidence)).map((finding) => finding.rule)).toEqual(['deployment', 'server_error']);
  });

  it('does not fit a run with other failures in it', () => {
    const recent = series(10, 3, { reason: 'status_code', message: 'HTTP 500, expected 200', httpStatus: 500 });
    recent[recent.length - 1] = result(1, { status: 'down', reason: 'timeout', message: 'no response headers' });
    expect(rules.server_error(check({ recent }), evidenceOf(check({ recent })))).toBeUndefined();
  });
});

describe('what the rules must not conclude', () => {
  it('no deployment after a short healthy run', () => {
    const evidence = check({
      recent: series(30, 3, { reason: 'status_code', message: 'HTTP 500, expected 200', httpStatus: 500 }),
      historySince: NOW - 30 * MINUTE,
      lastHealthyAt: NOW - 4 * MINUTE,
    });
    expect(rules.deployment(evidence, evidenceOf(evidence))).toBeUndefined();
  });

  it('no exhaustion from flat latency', () => {
    const evidence = check({ recent: series(30, 2, { reason: 'timeout', message: 'no response headers within 5s' }) });
    expect(rules.exhaustion(evidence, evidenceOf(evidence))).toBeUndefined();
  });

  it('no period from irregular incidents', () => {
    const incidents = [0, 50, 410, 420].map((minutesAgo) => ({
      openedAt: NOW - minutesAgo * MINUTE,
      reason: 'timeout',
      message: 'no response headers within 5s',
    }));
    const evidence = check({ recent: series(5, 1, { reason: 'timeout', message: 'x' }), incidents });
    expect(rules.periodic(evidence, evidenceOf(evidence))).toBeUndefined();
  });

  it('no shared dependency from a single other check of the same component', () => {
    const evidence = check({
      recent: series(5, 2, { reason: 'connect', message: 'connection refused' }),
      coFailing: [{ checkId: 'web', name: 'web', reason: 'connect', shared: ['component=backend'] }],
    });
    expect(rules.shared_dependency(evidence, evidenceOf(evidence))).toBeUndefined();
  });

  it('a shared endpoint that answers HTTP errors is a medium-confidence finding, one that refuses a high one', () => {
    const sibling = { checkId: 'shop_cart', name: 'shop_cart', reason: 'status_code', shared: ['endpoint=shop:443'] };
    const answering = check({
      recent: series(5, 2, { reason: 'status_code', message: 'HTTP 500, expected 200', httpStatus: 500 }),
      coFailing: [sibling],
    });
    const finding = rules.shared_dependency(answering, evidenceOf(answering));
    expect(finding?.confidence).toBe('medium');
    expect(finding?.probableCause).toContain('1 other check that depends on it is down');
    const refusing = check({
      recent: series(5, 2, { reason: 'connect', message: 'connect ECONNREFUSED' }),
      coFailing: [{ ...sibling, reason: 'connect' }],
    });
    expect(rules.shared_dependency(refusing, evidenceOf(refusing))?.confidence).toBe('high');
  });

  it('a shared endpoint that another check uses without failing is a low-confidence finding naming that check', () => {
    const evidence = check({
      recent: series(5, 2, { reason: 'connect', message: 'connect ECONNREFUSED' }),
      coFailing: [{ checkId: 'shop_cart', name: 'shop_cart', reason: 'connect', shared: ['endpoint=shop:443'] }],
      healthySharing: [{ checkId: 'shop_home', name: 'shop_home', shared: ['endpoint=shop:443', 'host=shop'] }],
    });
    const finding = rules.shared_dependency(evidence, evidenceOf(evidence));
    expect(finding?.confidence).toBe('low');
    expect(finding?.summary).toBe('2 checks sharing endpoint shop:443 are down, while 1 check using it passes');
    expect(finding?.evidence).toContain('1 check sharing it has no open incident: shop_home');
    expect(finding?.recommendations[0]).toContain('shop_home');
    // A healthy check sharing something else does not weaken it.
    const elsewhere = check({ ...evidence, healthySharing: [{ checkId: 'x', name: 'x', shared: ['host=other'] }] });
    expect(rules.shared_dependency(elsewhere, evidenceOf(elsewhere))?.confidence).toBe('high');
  });

  it('no validation finding for a 500', () => {
    const evidence = check({
      recent: series(5, 2, { reason: 'body', message: 'body does not contain "ok"', httpStatus: 500 }),
    });
    expect(rules.validation(evidence, evidenceOf(evidence))).toBeUndefined();
  });
});

describe('ranking', () => {
  it('puts a resolver shared by several failing checks before the per-check DNS finding', () => {
    const evidence = check({
      target: { type: 'dns', dnsName: 'www.example.com', recordType: 'A', resolver: '10.0.0.53' },
      recent: series(5, 3, {
        reason: 'dns',
        message: 'SERVFAIL: A www.example.com from 10.0.0.53: the server failed to answer',
      }),
      coFailing: [
        { checkId: 'mail_dns', name: 'mail_dns', reason: 'dns', shared: ['resolver=10.0.0.53'] },
        { checkId: 'api_dns', name: 'api_dns', reason: 'dns', shared: ['resolver=10.0.0.53'] },
      ],
    });
    const findings = ruleFindings(evidenceOf(evidence));
    expect(findings.map((finding) => finding.rule)).toEqual(['shared_dependency', 'dns']);
    expect(findings[0]?.recommendations).toContain('dig @10.0.0.53 www.example.com A');
  });
});

describe('insufficient evidence', () => {
  it('from labels alone, says the store was not available and keeps the fallback recommendations', () => {
    const evidence = evidenceFromLabels(
      {
        alertname: 'UptimeCheckDown',
        severity: 'warning',
        labels: { check: 'api', component: 'backend' },
        annotations: {},
        startsAt: NOW,
      },
      NOW,
    );
    const diagnosis = diagnoseWithRules(evidence, { fallbackRecommendations: ['Open the check.'] });
    expect(diagnosis).toEqual({
      summary: 'insufficient evidence: no rule fits api',
      probable_cause: null,
      evidence: [
        'api: no results in the lookback; 0 incidents in the past days; 0 other checks down now',
        'rules tried: shared_dependency, tls, datastore, dns, validation, connection_refused, exhaustion, periodic, deployment, server_error, timeout',
        'evidence from store (unavailable): no store shared with the prober: no results, incidents or other checks; labels: the alert labels and annotations only',
      ],
      recommendations: ['Open the check.'],
      confidence: 'low',
      source: 'rules',
    });
  });
});
