// The redaction chokepoint of the AI diagnosis: what a secret looks like in a URL, a header line, a label or free
// text, what must survive (a host, a path, a check id), and that the object sent holds only allowlisted fields.

import { describe, expect, it } from 'vitest';

import { redactedEvidence } from '../../../src/diagnosis/ai/redact.js';
import { scrubNamedValue, scrubText, scrubUrl } from '../../../src/diagnosis/ai/secret-text.js';
import type { DiagnosisEvidence } from '../../../src/model/diagnosis.js';

const R = '[redacted]';

describe('scrubUrl', () => {
  it.each([
    ['user and password', 'https://admin:hunter22@api.example.com/health', 'https://api.example.com/health'],
    ['connection string', 'postgres://app:p@s#s/w?d@db.internal:5432/main', 'postgres://db.internal:5432/main'],
    ['redis password only', 'redis://:s3cret@cache:6379/0', 'redis://cache:6379/0'],
    ['user only', 'https://deploy@git.example.com/repo', 'https://git.example.com/repo'],
    ['an @ in the path is not user info', 'https://example.com/users/@me', 'https://example.com/users/@me'],
    [
      'secret query values',
      'https://api.example.com/v1?access_token=abc123&page=2&api_key=k&sig=zz',
      `https://api.example.com/v1?access_token=${R}&page=2&api_key=${R}&sig=${R}`,
    ],
    ['a fragment token', 'https://app.example.com/cb#id_token=xyz', `https://app.example.com/cb#id_token=${R}`],
    [
      'nothing secret',
      'https://example.com:8443/api/v1/status?verbose=1',
      'https://example.com:8443/api/v1/status?verbose=1',
    ],
  ])('%s', (_case, input, output) => {
    expect(scrubUrl(input)).toBe(output);
  });
});

describe('scrubText', () => {
  it.each([
    [
      'a URL with credentials inside a message',
      'connect ECONNREFUSED for postgres://app:topsecret@10.0.0.5:5432/db',
      'connect ECONNREFUSED for postgres://10.0.0.5:5432/db',
    ],
    ['an authorization header', "curl -H 'Authorization: Bearer abc.def.ghi'", `curl -H 'Authorization: ${R}`],
    ['a cookie header', 'Cookie: session=42; theme=dark', `Cookie: ${R}`],
    ['an x-api-key header', 'x-api-key=AbC123', `x-api-key=${R}`],
    ['a bare bearer token', 'sent bearer tok_live_123456 to upstream', `sent bearer ${R} to upstream`],
    ['basic credentials', 'Basic dXNlcjpwYXNz', `Basic ${R}`],
    ['basic as a word', 'Basic authentication failed', 'Basic authentication failed'],
    ['password pairs', "host=db password='s3 cret' dbname=main", `host=db password=${R} dbname=main`],
    ['env-style pairs', 'DB_PASSWORD="x y" and API_KEY: k-1', `DB_PASSWORD=${R} and API_KEY: ${R}`],
    ['JSON pairs', '{"client_secret": "shh", "id": 3}', `{"client_secret": ${R}, "id": 3}`],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-part ok', `token ${R} ok`],
    ['an OpenAI key', 'key sk-proj-abcdefghijklmnop1234 leaked', `key ${R} leaked`],
    ['a Slack token', 'xoxb-1234567890-abcdefghij', R],
    ['a long hex blob', 'digest 0123456789abcdef0123456789abcdef01 here', `digest ${R} here`],
    ['a base64 blob', 'k=Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZg==', `k=${R}`],
    [
      'what must stay',
      'GET https://api.example.com/api/v1/checks/api_root/Results2024 answered 503 after 120 ms (dns.example.com)',
      'GET https://api.example.com/api/v1/checks/api_root/Results2024 answered 503 after 120 ms (dns.example.com)',
    ],
    [
      'a password word without a value',
      'password authentication failed for user "app"',
      'password authentication failed for user "app"',
    ],
  ])('%s', (_case, input, output) => {
    expect(scrubText(input)).toBe(output);
  });
});

describe('scrubNamedValue', () => {
  it.each([
    ['a secret-named label', 'api_token', 'anything', R],
    ['a password annotation', 'db_password', 'hunter2', R],
    ['a secret-looking value', 'team', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', R],
    ['an ordinary label', 'instance', 'api.example.com:443', 'api.example.com:443'],
    ['a runbook link with credentials', 'runbook_url', 'https://u:p@wiki/x', 'https://wiki/x'],
  ])('%s', (_case, name, value, output) => {
    expect(scrubNamedValue(name, value)).toBe(output);
  });
});

describe('redactedEvidence', () => {
  const evidence = {
    alert: {
      alertname: 'CheckDown',
      severity: 'critical',
      labels: { check: 'api_root', session_key: 'abc' },
      annotations: { summary: 'api_root is down' },
      startsAt: Date.UTC(2026, 0, 1, 12),
    },
    checks: [
      {
        checkId: 'api_root',
        target: { type: 'http', host: 'api.example.com', port: 443, url: 'https://u:pw@api.example.com/?token=t' },
        recent: [
          {
            at: Date.UTC(2026, 0, 1, 11, 59),
            status: 'down',
            reason: 'status_code',
            message: 'HTTP 503',
            durationMs: 120,
            httpStatus: 503,
            phases: { dns: 1, connect: 2, secret_phase: 3 },
            body: 'a response body is never evidence',
          },
        ],
        incidents: [],
        coFailing: [],
        maintenance: [],
        headers: { authorization: 'Bearer not-in-the-type' },
      },
    ],
    sources: [{ source: 'store', available: true, note: 'results of the last 60 min' }],
    at: Date.UTC(2026, 0, 1, 12, 1),
    extra: 'a field the allowlist does not know',
  } as unknown as DiagnosisEvidence;

  it('copies the allowlisted fields only, scrubbed', () => {
    const sent = redactedEvidence(evidence, []);
    expect(sent).toEqual({
      alert: {
        alertname: 'CheckDown',
        severity: 'critical',
        labels: { check: 'api_root', session_key: R },
        annotations: { summary: 'api_root is down' },
        starts_at: '2026-01-01T12:00:00.000Z',
      },
      checks: [
        {
          check_id: 'api_root',
          target: { type: 'http', host: 'api.example.com', port: 443, url: `https://api.example.com/?token=${R}` },
          results_in_lookback: { total: 1, by_status: { down: 1 } },
          recent_results: [
            {
              at: '2026-01-01T11:59:00.000Z',
              status: 'down',
              reason: 'status_code',
              message: 'HTTP 503',
              duration_ms: 120,
              http_status: 503,
              phases_ms: { dns: 1, connect: 2 },
            },
          ],
          incidents: [],
          co_failing: [],
          maintenance: [],
        },
      ],
      sources: [{ source: 'store', available: true, note: 'results of the last 60 min' }],
      findings: [],
      gathered_at: '2026-01-01T12:01:00.000Z',
    });
  });

  it('bounds long lists and texts', () => {
    const [check] = evidence.checks;
    const many = {
      ...evidence,
      checks: [
        { ...check!, recent: Array.from({ length: 300 }, () => ({ ...check!.recent[0]!, message: 'x'.repeat(5000) })) },
      ],
    };
    const sent = redactedEvidence(many, []);
    expect(sent.checks[0]?.recent_results).toHaveLength(20);
    expect(sent.checks[0]?.results_in_lookback.total).toBe(300);
    expect(sent.checks[0]?.recent_results[0]?.message.length).toBeLessThanOrEqual(500);
  });
});
